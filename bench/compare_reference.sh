#!/usr/bin/env bash
# streamdx's throughput against the Python pipeline doing the same work, measured on the same
# machine in the same run: the project's numpy LFCC reference and PyTorch (Debian's
# python3-torch) running the committed TorchScript model (bench/reference_pipeline.py).
#
#   bench/compare_reference.sh                   the built-in SYNTHETIC recording, 1800 s of it
#   bench/compare_reference.sh recording.edf     any recording `streamdx bench` reads
#   bench/compare_reference.sh sim --duration 600   options after INPUT go to reading INPUT
#
# The default is 30 minutes of the simulation, not its 120 s default: streamdx runs 120 s in
# about 20 ms, where thread start-up and this VM's jitter are most of what is timed.
#
# Both sides start from the recording's montage signal at 250 Hz, read or simulated before any
# clock starts: Python loads it as a .npy array, streamdx replays it from a .sdxf frame file.
# Each is then timed from the signal to the last decision: features, epoch windows, model.
# streamdx's figure is `streamdx bench` on the frame file (one stream as fast as possible,
# reading the file and its postprocessor included), once per thread layout in
# STREAMDX_COMPARE_THREADS (default: "per-stage 0,0,1,1,1,1", i.e. the configured default of one
# thread per stage, and the six stages on two threads, one per core of the 2-core CI machine:
# reader and LFCC | model encoder, decoder, postprocessor and sink, the split whose two halves
# cost most nearly the same; docs/PERFORMANCE.md). Python runs on one thread: given two,
# PyTorch is slower at these sizes (see docs/PERFORMANCE.md). `streamdx bench INPUT` on the original
# input, acquisition or simulation included, is printed as well.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
streamdx="${STREAMDX:-$here/build/streamdx}"
if (($# == 0)); then set -- sim --duration 1800; fi
input="$1"
shift   # the rest: options for reading INPUT (e.g. --duration 600)
read -r -a layouts <<<"${STREAMDX_COMPARE_THREADS:-per-stage 0,0,1,1,1,1}"
python=/usr/bin/python3   # Debian's numpy and torch import only under the system interpreter

if ! "$python" -c 'import numpy, torch' 2>/dev/null; then
  echo "compare_reference.sh: needs Debian's python3-numpy and python3-torch:" >&2
  echo "  sudo apt-get install python3-numpy python3-torch" >&2
  exit 1
fi
[[ -x "$streamdx" ]] || { echo "compare_reference.sh: no $streamdx; run scripts/setup.sh" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
model="$("$streamdx" config | sed -n "s/^model = ['\"]\(.*\)['\"]$/\1/p" | head -1)"
[[ "$model" = /* ]] || model="$here/$model"

echo "==> reading $input into its 250 Hz montage signal"
"$streamdx" stream --from "$input" --to "$work/signal.npy" --log-level warn "$@"
"$streamdx" stream --from "$input" --to "$work/signal.sdxf" --log-level warn "$@"

# This VM's speed drifts by tens of per cent from minute to minute, so both sides run
# STREAMDX_COMPARE_RUNS times (default 3), alternating, and the medians are compared.
runs="${STREAMDX_COMPARE_RUNS:-3}"
for ((i = 1; i <= runs; i++)); do
  echo "==> run $i of $runs: Python pipeline (numpy LFCC reference + PyTorch model)"
  "$python" "$here/bench/reference_pipeline.py" "$work/signal.npy" "$model" | tee "$work/python-$i.json"
  for layout in "${layouts[@]}"; do
    echo "==> run $i of $runs: streamdx bench on the signal, --threads $layout"
    "$streamdx" bench "$work/signal.sdxf" --threads "$layout" --log-level warn \
      --json "$work/streamdx-$layout-$i.json" | grep '^  wall'
  done
done

echo "==> streamdx bench on $input, acquisition included"
"$streamdx" bench "$input" --json "$work/streamdx-acquisition.json" --log-level warn "$@"

"$python" - "$work" "$runs" "${layouts[@]}" <<'PY'
import json, statistics, sys
work, runs, layouts = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
py = [json.load(open(f"{work}/python-{i}.json")) for i in range(1, runs + 1)]
acq = json.load(open(f"{work}/streamdx-acquisition.json"))
py_x = [p["realtime_multiple"] for p in py]
last = py[-1]
print()
print(f"Python pipeline : median {statistics.median(py_x):10.1f}x real time over {runs} runs "
      f"({', '.join(f'{x:.0f}' for x in py_x)}; one thread; last run: features "
      f"{last['features_s']:.3f} s, windows {last['windows_s']:.3f} s, model "
      f"{last['model_s']:.3f} s for {last['stream_s']:.0f} s of {last['channels']} channels)")
for layout in layouts:
    sdx = [json.load(open(f"{work}/streamdx-{layout}-{i}.json")) for i in range(1, runs + 1)]
    sdx_x = [s["realtime_multiple"] for s in sdx]
    ratio = statistics.median(sdx_x) / statistics.median(py_x)
    print(f"streamdx        : median {statistics.median(sdx_x):10.1f}x real time over {runs} runs "
          f"({', '.join(f'{x:.0f}' for x in sdx_x)}; from the signal, --threads {layout})")
    print(f"  {ratio:.1f}x faster than the Python pipeline, median against median (run by run: "
          f"{', '.join(f'{s / p:.1f}' for s, p in zip(sdx_x, py_x))}; target: at least 20x)")
print(f"streamdx        : {acq['realtime_multiple']:10.1f}x real time "
      f"({acq['wall_s']:.3f} s with acquisition or simulation, default threads, not compared)")
PY
