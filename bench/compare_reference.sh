#!/usr/bin/env bash
# streamdx's throughput against the Python pipeline doing the same work, measured on the same
# machine in the same run: the project's numpy LFCC reference and PyTorch (Debian's
# python3-torch) running the committed TorchScript model (bench/reference_pipeline.py).
#
#   bench/compare_reference.sh                   the built-in SYNTHETIC recording (120 s)
#   bench/compare_reference.sh recording.edf     any recording `streamdx bench` reads
#   bench/compare_reference.sh sim --duration 600   options after INPUT go to both streamdx runs
#
# Both sides start from the recording's montage signal at 250 Hz, read or simulated before any
# clock starts: Python loads it as a .npy array, streamdx replays it from a .sdxf frame file.
# Each is then timed from the signal to the last decision: features, epoch windows, model.
# streamdx's figure is `streamdx bench` on the frame file (one stream as fast as possible,
# reading the file and its postprocessor included). `streamdx bench INPUT` on the original
# input, acquisition or simulation included, is printed as well.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
streamdx="${STREAMDX:-$here/build/streamdx}"
input="${1:-sim}"
shift || true   # the rest: streamdx options (e.g. --duration 600)
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

echo "==> Python pipeline: numpy LFCC reference + PyTorch model"
"$python" "$here/bench/reference_pipeline.py" "$work/signal.npy" "$model" | tee "$work/python.json"

echo "==> streamdx bench on the signal"
"$streamdx" bench "$work/signal.sdxf" --json "$work/streamdx.json" --log-level warn

echo "==> streamdx bench on $input, acquisition included"
"$streamdx" bench "$input" --json "$work/streamdx-acquisition.json" --log-level warn "$@"

"$python" - "$work/python.json" "$work/streamdx.json" "$work/streamdx-acquisition.json" <<'PY'
import json, sys
py = json.load(open(sys.argv[1]))
sdx = json.load(open(sys.argv[2]))
acq = json.load(open(sys.argv[3]))
ratio = sdx["realtime_multiple"] / py["realtime_multiple"]
print()
print(f"Python pipeline : {py['realtime_multiple']:10.1f}x real time "
      f"(features {py['features_s']:.3f} s, windows {py['windows_s']:.3f} s, "
      f"model {py['model_s']:.3f} s for {py['stream_s']:.0f} s of {py['channels']} channels)")
print(f"streamdx        : {sdx['realtime_multiple']:10.1f}x real time "
      f"({sdx['wall_s']:.3f} s from the signal, one stream)")
print(f"streamdx        : {acq['realtime_multiple']:10.1f}x real time "
      f"({acq['wall_s']:.3f} s with acquisition or simulation, not compared)")
print(f"streamdx is {ratio:.1f}x faster than the Python pipeline (target: at least 20x)")
PY
