#!/usr/bin/env bash
# The decoder service's figures for docs/PERFORMANCE.md, every one against its baseline in the
# same run, clients and servers on this machine:
#   1. M real-time streams through a server with dynamic batching, then through one that runs
#      every request alone (--max-batch 1: a request is never split, so one request a batch);
#   2. the most real-time streams within the 100 ms p99 budget: in process, through the service
#      (how much the socket costs), and through the service with one request a batch.
# Each server is stopped by PID. Figures go to OUT (default bench-service/) as JSON.
#
#   scripts/bench_service.sh [OUT] [STREAMS] [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sdx="${STREAMDX_BINARY:-$here/build/streamdx}"
out="${1:-bench-service}"
streams="${2:-1000}"
seconds="${3:-10}"
mkdir -p "$out"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

serve() {  # serve PORT LOG ARGS...: starts a server and waits until it answers
  local port="$1" log="$2"
  shift 2
  "$sdx" serve --bind "tcp://127.0.0.1:$port" "$@" > "$log" 2>&1 &
  pids+=($!)
  "$sdx" serve-status "tcp://127.0.0.1:$port" --timeout 30 > /dev/null
}
stop_last() {
  kill "${pids[-1]}"
  wait "${pids[-1]}" || true
  unset 'pids[-1]'
}

echo "== $streams real-time streams for $seconds s: dynamic batching, then one request a batch"
serve 5701 "$out/serve-batching.log"
"$sdx" bench --mode realtime --streams "$streams" --seconds "$seconds" \
  --decoder tcp://127.0.0.1:5701 --json "$out/realtime-batching.json" --log-level warn
"$sdx" serve-status tcp://127.0.0.1:5701 --json > "$out/server-batching.json"
stop_last
serve 5702 "$out/serve-single.log" --max-batch 1
"$sdx" bench --mode realtime --streams "$streams" --seconds "$seconds" \
  --decoder tcp://127.0.0.1:5702 --json "$out/realtime-single.json" --log-level warn
"$sdx" serve-status tcp://127.0.0.1:5702 --json > "$out/server-single.json"
stop_last

echo "== the most real-time streams within 100 ms p99: in process, then through the service"
"$sdx" bench --find-max --streams 500 --seconds "$seconds" --json "$out/findmax-inprocess.json" \
  --log-level warn
serve 5703 "$out/serve-findmax.log"
"$sdx" bench --find-max --streams 500 --seconds "$seconds" --decoder tcp://127.0.0.1:5703 \
  --json "$out/findmax-service.json" --log-level warn
"$sdx" serve-status tcp://127.0.0.1:5703 --json > "$out/server-findmax.json"
stop_last
serve 5704 "$out/serve-findmax-single.log" --max-batch 1
"$sdx" bench --find-max --streams 500 --seconds "$seconds" --decoder tcp://127.0.0.1:5704 \
  --json "$out/findmax-service-single.json" --log-level warn
stop_last

/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
j = lambda n: json.load(open(f"{out}/{n}.json"))
b, s = j("realtime-batching"), j("realtime-single")
sb, ss = j("server-batching"), j("server-single")
p99 = lambda r: r["result"]["latency"]["decision"]["p99_ms"]
print(f"dynamic batching: p99 decision {p99(b):.1f} ms, server compute {sb['compute_total_s']} s "
      f"in {sb['batches']} batches (mean {sb['mean_batch_windows']} windows), busy {sb['busy_replies']}")
print(f"one request a batch: p99 decision {p99(s):.1f} ms, server compute {ss['compute_total_s']} s "
      f"in {ss['batches']} batches, busy {ss['busy_replies']}")
print(f"ratio: p99 {p99(s) / p99(b):.2f}x lower with batching; server compute per window "
      f"{(ss['compute_total_s'] / ss['windows']) / (sb['compute_total_s'] / sb['windows']):.2f}x lower")
largest = lambda n: j(n)["find_max"]["largest_within_budget"]
a, c, one = largest("findmax-inprocess"), largest("findmax-service"), largest("findmax-service-single")
print(f"find-max within 100 ms p99: in process {a} streams, through the service {c} "
      f"({c / a:.2f} of in process), through the service one request a batch {one} "
      f"(batching sustains {c / one:.2f}x as many)")
PY
