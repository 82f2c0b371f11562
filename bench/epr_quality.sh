#!/usr/bin/env bash
# EPR reconstruction quality on simulated phantoms (phalanx geometry and measured h, 256^2):
# for each phantom, SNR and noise model, `streamdx epr compare` runs the Fourier baseline at its
# oracle apodization (raw and clipped at zero) and tv with its automatic lambda on the same data.
#
#   bench/epr_quality.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$(mktemp -d)}"
sdx="${STREAMDX_BIN:-$build/streamdx}"
printf '%-12s %5s %5s  %8s %8s %8s  %7s %7s  %5s %7s\n' phantom snr rho oracle clipped tv tv/orc tv/clip iters ms
for phantom in disks shepp-logan; do
  for rho in 0 0.8; do
    for snr in 20 50 200; do
      dir="$out/$phantom-snr$snr-rho$rho"
      "$sdx" epr simulate -o "$dir" --phantom "$phantom" --snr "$snr" --rho "$rho" --seed 7 >/dev/null 2>&1
      "$sdx" epr compare "$dir/proj.DSC" --reference "$dir/h.DSC" --truth "$dir/truth.f32" --json -o "$dir/compare" \
        2>/dev/null >"$dir/compare.json"
      /usr/bin/python3 - "$dir/compare.json" "$phantom" "$snr" "$rho" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
o, k, t = c["fourier_oracle"]["nrmse"], c["fourier_oracle_clipped"]["nrmse"], c["tv"]["nrmse"]
print(f"{sys.argv[2]:<12} {sys.argv[3]:>5} {sys.argv[4]:>5}  {o:8.4f} {k:8.4f} {t:8.4f}  {t/o:7.3f} {t/k:7.3f}  {c['tv']['iterations']:5d} {c['tv']['ms']:7.0f}")
PY
    done
  done
done
