#!/usr/bin/env bash
# EPR reconstruction quality in 3D on a simulated volume with a known truth: five balls on 49^3
# (3 cm), seen along 20 x 20 directions on a theta-phi grid at 130 G/cm with the measured phalanx
# line shape, at SNR 20, 50 and 200. `epr compare` runs TV with its automatic lambda (there is no
# Fourier baseline in 3D) and reports NRMSE and SSIM (the mean over the z slices).
#
#   bench/epr_quality_3d.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$(mktemp -d)}"
sdx="${STREAMDX_BIN:-$build/streamdx}"
printf '%5s  %8s %8s %8s %6s %8s\n' snr nrmse ssim lambda iters ms
for snr in 20 50 200; do
  dir="$out/balls-snr$snr"
  "$sdx" epr simulate --dims 3 --size 49 --fov 3 --projections 400 --gradient 130 --snr "$snr" \
    --seed 7 -o "$dir" >/dev/null 2>&1
  "$sdx" epr compare "$dir/proj.DSC" --reference "$dir/h.DSC" --fgrad "$dir/fgrad.txt" \
    --truth "$dir/truth.f32" --json 2>/dev/null >"$dir/compare.json"
  /usr/bin/python3 - "$dir/compare.json" "$snr" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["tv"]
print(f"{sys.argv[2]:>5}  {t['nrmse']:8.4f} {t['ssim_mean_over_z_slices']:8.3f} {t['lambda']:8.3g} {t['iterations']:6d} {t['ms']:8.0f}")
PY
done
