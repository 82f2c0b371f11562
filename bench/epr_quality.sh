#!/usr/bin/env bash
# EPR reconstruction quality on simulated phantoms (phalanx geometry, 256^2): for each phantom,
# line shape, SNR and noise model, `streamdx epr compare` runs the Fourier baseline at its oracle
# apodization (raw and clipped at zero) and tv with its automatic lambda on the same data,
# through the Toeplitz operator (the default) and through Joseph's projector.
#
#   bench/epr_quality.sh [BUILD_DIR] [OUT_DIR]
#
# Line shapes: the measured phalanx h, and a clean Gaussian of the same width (4 G FWHM, 3.4 G
# peak to peak; no modulation, no baseline in h).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$(mktemp -d)}"
sdx="${STREAMDX_BIN:-$build/streamdx}"
printf '%-12s %-8s %5s %5s  %8s %8s  %8s %6s %6s %5s  %8s %5s\n' phantom line snr rho oracle clipped \
  toeplitz ssim tv/orc iters projector iters
run() {
  local phantom=$1 line=$2 snr=$3 rho=$4
  local dir="$out/$phantom-$line-snr$snr-rho$rho"
  "$sdx" epr simulate -o "$dir" --phantom "$phantom" --line-shape "$line" --gauss-fwhm 4 \
    --snr "$snr" --rho "$rho" --seed 7 >/dev/null 2>&1
  for op in toeplitz projector; do
    "$sdx" epr compare "$dir/proj.DSC" --reference "$dir/h.DSC" --truth "$dir/truth.f32" --json \
      --operator "$op" 2>/dev/null >"$dir/compare-$op.json"
  done
  /usr/bin/python3 - "$dir" "$phantom" "$line" "$snr" "$rho" <<'PY'
import json, sys
d = sys.argv[1]
t = json.load(open(d + "/compare-toeplitz.json"))
p = json.load(open(d + "/compare-projector.json"))
o, k = t["fourier_oracle"]["nrmse"], t["fourier_oracle_clipped"]["nrmse"]
tv, pv = t["tv"], p["tv"]
print(f"{sys.argv[2]:<12} {sys.argv[3]:<8} {sys.argv[4]:>5} {sys.argv[5]:>5}  {o:8.4f} {k:8.4f}  "
      f"{tv['nrmse']:8.4f} {tv['ssim']:6.3f} {tv['nrmse']/o:6.3f} {tv['iterations']:5d}  "
      f"{pv['nrmse']:8.4f} {pv['iterations']:5d}")
PY
}
for phantom in disks shepp-logan; do
  for rho in 0 0.8; do
    for snr in 20 50 200; do run "$phantom" phalanx "$snr" "$rho"; done
  done
done
for phantom in disks shepp-logan; do
  for snr in 20 50 200; do run "$phantom" gaussian "$snr" 0; done
done
