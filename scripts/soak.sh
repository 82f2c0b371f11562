#!/usr/bin/env bash
# The soak (issue 26; not in CI): hours of EEG through every long-lived process at full speed,
# while memory and file descriptors are sampled. It passes when every process's RSS after
# warm-up stays within 5 % and its descriptor count is flat.
#
#   scripts/soak.sh [HOURS_PER_BED] [OUT]          (default 50 h a bed, four beds: 200 h)
#
# Four beds run `streamdx run --decoder` against one decoder service:
#   sim-1, sim-2   the simulator (22 channels), seeds 1 and 2;
#   delhi          real scalp EEG: the Delhi segments replayed in a loop through stdin;
#   bonn           real intracranial EEG: Bonn sets C, D, E replayed in a loop through stdin.
# Meanwhile the service is stopped (SIGTERM) or killed (SIGKILL) and restarted every
# RESTART_S seconds, and the viewer (`streamdx gui`, on Xvfb) attaches to sim-1's display feed
# and detaches every VIEWER_S seconds. Every SAMPLE_S seconds, RSS and open descriptors of each
# process are appended to OUT/samples.csv; OUT/soak.json and OUT/soak.png hold the verdict and
# the plot. The beds' signal files (about 2 GB a simulated bed) are deleted at the end; their
# detections stay.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sdx="${STREAMDX_BINARY:-$here/build/streamdx}"
hours="${1:-50}"
out="$(realpath -m "${2:-soak-out}")"
data="${STREAMDX_DATA:-$here/../shared/data}"
sample_s="${SAMPLE_S:-5}"
restart_s="${RESTART_S:-60}"
viewer_s="${VIEWER_S:-20}"
port="${SOAK_PORT:-5801}"
address="tcp://127.0.0.1:$port"
feed="ipc://$out/display.ipc"
seconds=$(( hours * 3600 ))
mkdir -p "$out"
rm -f "$out/samples.csv"
echo "t_s,process,pid,rss_kb,fds,viewer" > "$out/samples.csv"

pids=()
server_pid=""
viewer_pid=""
xvfb_pid=""
cleanup() {
  for p in "${pids[@]}" $server_pid $viewer_pid $xvfb_pid; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

start_server() {
  "$sdx" serve --bind "$address" --max-queue-delay-us 200 >> "$out/serve.log" 2>&1 &
  server_pid=$!
  "$sdx" serve-status "$address" --timeout 60 > /dev/null
}

# Endless text streams of real segments, one value a line, with their rate first.
replay() {  # replay RATE FILES...
  /usr/bin/python3 - "$@" <<'PY'
import sys
rate, files = sys.argv[1], sys.argv[2:]
segments = ["".join(l for l in open(f) if l.strip()) for f in files]
out = sys.stdout
out.write(f"# rate={rate}\n")
try:
    while True:
        for s in segments:
            out.write(s)
except BrokenPipeError:
    pass
PY
}

start_server
bed() {  # bed NAME ARGS...: one `streamdx run` against the service
  local name="$1"
  shift
  "$@" --decoder "$address" --set decoder.service_timeout_s=120 -o "$out/$name" --name "$name" \
    > "$out/$name.log" 2>&1 &
  pids+=($!)
  echo "$name $!" >> "$out/beds.txt"
}
rm -f "$out/beds.txt"
bed sim-1 "$sdx" run sim --seed 1 --duration "$seconds" --display "@$feed"
bed sim-2 "$sdx" run sim --seed 2 --duration "$seconds"
# Real recordings through stdin: as many samples as HOURS of signal, then the stream ends.
delhi_lines=$(( seconds * 200 ))
bonn_lines=$(( seconds * 17361 / 100 ))
( replay 200 "$data"/eeg/delhi/*/*.txt | head -n $(( delhi_lines + 1 )) |
  "$sdx" run - --montage none --decoder "$address" --set decoder.service_timeout_s=120 \
    -o "$out/delhi" --name delhi > "$out/delhi.log" 2>&1 ) &
pids+=($!)
( replay 173.61 "$data"/eeg/bonn/{C,D,E}/*.[tT][xX][tT] | head -n $(( bonn_lines + 1 )) |
  "$sdx" run - --montage none --decoder "$address" --set decoder.service_timeout_s=120 \
    -o "$out/bonn" --name bonn > "$out/bonn.log" 2>&1 ) &
pids+=($!)

Xvfb :97 -screen 0 1280x800x24 -nolisten tcp > /dev/null 2>&1 &
xvfb_pid=$!

# The process of each bed (the `streamdx run`, not its feeder) by its output folder.
sample() {
  local t="$1" name pid attached=0
  [[ -n "$viewer_pid" ]] && attached=1
  for pid in $(pgrep -f "streamdx run" || true); do
    name="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -o -- "--name [a-z0-9-]*" | cut -d' ' -f2)" || continue
    [[ -n "$name" ]] || continue
    echo "$t,$name,$pid,$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0),$(ls "/proc/$pid/fd" 2>/dev/null | wc -l),$attached" >> "$out/samples.csv"
  done
  for p in "server:$server_pid" "viewer:$viewer_pid"; do
    name="${p%%:*}"
    pid="${p#*:}"
    [[ -n "$pid" && -d "/proc/$pid" ]] || continue
    echo "$t,$name,$pid,$(awk '/VmRSS/ {print $2}' "/proc/$pid/status"),$(ls "/proc/$pid/fd" | wc -l),$attached" >> "$out/samples.csv"
  done
}

start=$(date +%s)
restarts=0
kills=0
viewer_attaches=0
next_restart=$restart_s
next_viewer=5
while pgrep -f "streamdx run" > /dev/null; do
  now=$(( $(date +%s) - start ))
  sample "$now"
  if (( now >= next_restart )); then
    # Every third restart is a SIGKILL: nothing in flight may be lost either way.
    if (( (restarts + 1) % 3 == 0 )); then kill -9 "$server_pid"; kills=$((kills + 1)); else kill "$server_pid"; fi
    wait "$server_pid" 2>/dev/null || true
    start_server
    restarts=$((restarts + 1))
    next_restart=$(( now + restart_s ))
  fi
  if (( now >= next_viewer )); then
    if [[ -n "$viewer_pid" ]]; then
      kill "$viewer_pid" 2>/dev/null || true
      wait "$viewer_pid" 2>/dev/null || true
      viewer_pid=""
      next_viewer=$(( now + 5 ))
    else
      DISPLAY=:97 "$sdx" gui --connect "$feed" >> "$out/viewer.log" 2>&1 &
      viewer_pid=$!
      viewer_attaches=$((viewer_attaches + 1))
      next_viewer=$(( now + viewer_s ))
    fi
  fi
  sleep "$sample_s"
done
wall=$(( $(date +%s) - start ))
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
kill "$server_pid" 2>/dev/null || true
rm -f "$out"/*/sim-*.edf "$out"/delhi/delhi.edf "$out"/bonn/bonn.edf

/usr/bin/python3 - "$out" "$hours" "$wall" "$restarts" "$kills" "$viewer_attaches" "$failed" <<'PY'
import collections, csv, json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
out, hours, wall, restarts, kills, attaches, failed = sys.argv[1], float(sys.argv[2]), *map(int, sys.argv[3:])
series = collections.defaultdict(list)  # (process, pid) -> [(t, rss, fds, viewer attached)]
for row in csv.DictReader(open(f"{out}/samples.csv")):
    series[(row["process"], row["pid"])].append(
        (int(row["t_s"]), int(row["rss_kb"]), int(row["fds"]), int(row["viewer"])))
verdicts = []
for (name, pid), s in sorted(series.items(), key=lambda kv: kv[1][0][0]):
    if name in ("server", "viewer") or len(s) < 10:
        continue  # short-lived by design: restarted every few tens of seconds
    # The first tenth is warm-up; the last two samples may catch the process closing its files.
    steady = s[len(s) // 10:len(s) - 2]
    rss = [x[1] for x in steady]
    fds = [x[2] for x in steady]
    # A viewer attached holds one more descriptor (its connection) on the bed it watches: flat
    # means flat with the viewer attached and flat without it, never creeping up.
    flat = all(len({x[2] for x in steady if x[3] == v}) <= 1 for v in (0, 1))
    growth = (max(rss) - rss[0]) / rss[0]
    verdicts.append({"process": name, "pid": int(pid), "samples": len(s),
                     "rss_mb_after_warmup": round(rss[0] / 1024, 1), "rss_mb_max": round(max(rss) / 1024, 1),
                     "rss_growth": round(growth, 4), "fds_min": min(fds), "fds_max": max(fds),
                     "fds_flat": flat, "pass": growth <= 0.05 and flat})
servers = [s for (n, _), s in series.items() if n == "server"]
result = {"hours_per_bed": hours, "beds": 4, "eeg_hours": 4 * hours, "wall_s": wall,
          "service_restarts": restarts, "service_kills": kills, "viewer_attaches": attaches,
          "beds_failed": failed, "server_rss_mb_max": round(max(x[1] for s in servers for x in s) / 1024, 1),
          "processes": verdicts, "pass": failed == 0 and all(v["pass"] for v in verdicts)}
json.dump(result, open(f"{out}/soak.json", "w"), indent=2)
fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
for (name, pid), s in series.items():
    t = [x[0] for x in s]
    ax1.plot(t, [x[1] / 1024 for x in s], label=name if name not in ("server", "viewer") else None,
             color={"server": "grey", "viewer": "lightblue"}.get(name))
    ax2.plot(t, [x[2] for x in s], color={"server": "grey", "viewer": "lightblue"}.get(name))
ax1.set_ylabel("RSS (MB)")
ax1.legend(loc="upper left", fontsize=8)
ax1.set_title(f"streamdx soak: {4 * hours:.0f} h of EEG in {wall} s; service restarted {restarts}x "
              f"(grey), viewer attached {attaches}x (blue)", fontsize=9)
ax2.set_ylabel("open descriptors")
ax2.set_xlabel("wall-clock s")
fig.tight_layout()
fig.savefig(f"{out}/soak.png", dpi=90)
print(json.dumps(result, indent=2))
sys.exit(0 if result["pass"] else 1)
PY
