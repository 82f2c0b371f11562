#!/usr/bin/env bash
# Records the outputs that a refactor must leave byte-identical (issue 24's proof), with the
# SHA-256 of each in OUT/SHA256SUMS:
#   - `features` of five Bonn segments and of one simulated hour;
#   - `run` HYP, TSE and csv_bi of the demo and of three stitched 4-channel test streams;
#   - `epr reconstruct` of phalanx, TV and Fourier.
#
#   scripts/golden_outputs.sh OUT [STREAMDX_BINARY]
#   diff OLD/SHA256SUMS NEW/SHA256SUMS     # empty: identical
#
#   scripts/golden_outputs.sh --check tests/golden/SHA256SUMS [STREAMDX_BINARY]
# records into a temporary folder and compares the files that the list names (ctest runs this:
# the detection files and the features, whose bits do not depend on the CPU's vector units).
# Without the data it says so and exits 77 (skipped), or fails when STREAMDX_REQUIRE_DATA=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check=""
if [[ "${1:-}" == --check ]]; then
  check="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
  shift 2
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  set -- "$out" "$@"
fi
out="${1:?usage: golden_outputs.sh OUT [STREAMDX] | --check SUMS [STREAMDX]}"
sdx="${2:-$here/build/streamdx}"
export STREAMDX_DATA="${STREAMDX_DATA:-$here/../shared/data}"
data="$STREAMDX_DATA"
if [[ ! -d "$data/eeg/bonn" || ! -d "$data/epr/phalanx-2d" ]]; then
  if [[ "${STREAMDX_REQUIRE_DATA:-0}" == 1 ]]; then
    echo "golden outputs: STREAMDX_REQUIRE_DATA=1 but $data has no eeg/bonn or epr/phalanx-2d" >&2
    exit 1
  fi
  echo "golden outputs: skipped, real data not found at $data (set STREAMDX_DATA)"
  exit 77
fi
mkdir -p "$out"
q=(--log-level warn)

for seg in A/Z081 B/O082 C/N083 D/F084 E/S085; do
  f="$data/eeg/bonn/$seg.txt"; [[ -f "$f" ]] || f="$data/eeg/bonn/$seg.TXT"
  "$sdx" features "$f" --rate 173.61 --montage none -o "$out/features-${seg#*/}.npy" "${q[@]}"
done
"$sdx" features sim --duration 3600 -o "$out/features-sim-hour.npy" "${q[@]}"

"$sdx" run -o "$out/demo" "${q[@]}" >/dev/null
for seed in 1 2 3; do
  name="stitched-seed$seed"
  "$sdx" stitch -o "$out/$name.edf" --seed "$seed" --channels 4 --seizure-channels 2 >/dev/null
  "$sdx" run "$out/$name.edf" --montage none -o "$out/run-$seed" "${q[@]}" >/dev/null
done

phalanx="$data/epr/phalanx-2d"
for method in tv fourier; do
  "$sdx" epr reconstruct "$phalanx/phalanx-20220203-proj.DSC" \
    --reference "$phalanx/phalanx-20220203-h.DSC" --method "$method" -o "$out/epr-$method" >/dev/null
done

# Text outputs name the commit they were made by ("# streamdx 0.1.0 (9232420)"): that line is
# hashed without the commit, which is the one thing a refactor is meant to change.
cd "$out"
: > SHA256SUMS
while read -r f; do
  case "$f" in
    *.hyp | *.tse | *.csv_bi) sum=$(sed -E 's/^# streamdx ([0-9.]+) \(.*\)$/# streamdx \1/' "$f" | sha256sum) ;;
    *) sum=$(sha256sum < "$f") ;;
  esac
  echo "${sum%% *}  $f" >> SHA256SUMS
done < <(find . -type f \( -name '*.npy' -o -name '*.hyp' -o -name '*.tse' -o -name '*.csv_bi' \
  -o -name '*.f32' -o -name '*.png' \) | LC_ALL=C sort)
if [[ -z "$check" ]]; then
  wc -l < SHA256SUMS
  exit 0
fi
# Only the files the list names; any difference is printed.
if diff <(grep -F -f <(awk '{print $2}' "$check") SHA256SUMS) "$check"; then
  echo "golden outputs: $(wc -l < "$check") files byte-identical to $check"
else
  echo "golden outputs: differ from $check (see above)" >&2
  exit 1
fi
