#!/usr/bin/env bash
# EPR speed against NumPy on the same machine, same phalanx data, same run (docs/PERFORMANCE.md):
# the Fourier baseline on one core, one TV iteration, and the whole automatic tv reconstruction.
#
#   bench/epr_compare_numpy.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
data="${STREAMDX_DATA:-$here/../shared/data}"
d="$data/epr/phalanx-2d"

echo "== NumPy ($(nproc) cores; NumPy runs these on one)"
/usr/bin/python3 "$here/bench/epr_reference.py" "$data"

echo "== streamdx (bench_epr, median of 5; /1 = one thread, /0 = every core)"
"$build/bench/bench_epr" --benchmark_filter='Fourier|Solver' --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '_median'

echo "== streamdx epr reconstruct (automatic tv, every core)"
out="$(mktemp -d)"
"$build/streamdx" epr reconstruct "$d/phalanx-20220203-proj.DSC" --reference "$d/phalanx-20220203-h.DSC" \
  -o "$out" --json 2>/dev/null | grep -E '"(iterations|converged|timings_ms)"'
rm -rf "$out"
