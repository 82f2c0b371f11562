#!/usr/bin/env bash
# Evaluates the whole pipeline on long streams stitched from Bonn segments (issue: postprocessor
# and scoring): stitches N streams, runs `streamdx run` on each, scores with `streamdx score`.
#
#   scripts/eval_stitched.sh [-n STREAMS] [-s FIRST-LAST] [-c CHANNELS] [-k SEIZURE_CHANNELS]
#                            [-o WORKDIR] [-- extra `streamdx run` options, e.g. --set k=v]
#
# Defaults: 5 single-channel streams from the test split (segments 081-100), seeds 1..5, each
# with 3 seizure events in at least 10 minutes of background. Prints the score report; the
# stitched recordings, run outputs and lists stay in WORKDIR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
streamdx="${STREAMDX:-$here/build/streamdx}"
streams=5 segments=81-100 channels=1 seizure_channels=0 work="$(mktemp -d)"
while getopts "n:s:c:k:o:" opt; do
  case "$opt" in
    n) streams="$OPTARG" ;;
    s) segments="$OPTARG" ;;
    c) channels="$OPTARG" ;;
    k) seizure_channels="$OPTARG" ;;
    o) work="$OPTARG" ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
first="${segments%-*}" last="${segments#*-}"
mkdir -p "$work"
: > "$work/ref.list"
: > "$work/hyp.list"
for seed in $(seq 1 "$streams"); do
  name="stitched-$first-$last-seed$seed"
  "$streamdx" stitch -o "$work/$name.edf" --first "$first" --last "$last" --seed "$seed" \
    --channels "$channels" --seizure-channels "$seizure_channels" >/dev/null 2>&1
  "$streamdx" run "$work/$name.edf" --montage none -o "$work/run-$seed" --log-level warn "$@"
  echo "$work/$name.csv_bi" >> "$work/ref.list"
  echo "$work/run-$seed/$name.csv_bi" >> "$work/hyp.list"
done
if [[ -n "${JSON:-}" ]]; then
  "$streamdx" score "$work/ref.list" "$work/hyp.list" --json
else
  "$streamdx" score "$work/ref.list" "$work/hyp.list"
fi
