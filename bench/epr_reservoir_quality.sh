#!/usr/bin/env bash
# The reservoir deconvolver (--method reservoir, models/epr-reservoir.json) on the quality
# table's simulated phantoms (phalanx geometry and measured h, 256^2, seed 7: the same data as
# bench/epr_quality.sh), beside the Fourier baseline at its default width and tv, all through
# `streamdx epr reconstruct` on the truth's field of view; NRMSE and negative mass by NumPy.
#
#   bench/epr_reservoir_quality.sh [BUILD_DIR] [OUT_DIR] [MODEL]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$(mktemp -d)}"
model="${3:-$here/models/epr-reservoir.json}"
sdx="${STREAMDX_BIN:-$build/streamdx}"
printf '%-12s %5s %5s  %9s %9s %9s  %8s\n' phantom snr rho reservoir fourier tv "res.neg"
for phantom in disks shepp-logan; do
  for rho in 0 0.8; do
    for snr in 20 50 200; do
      dir="$out/$phantom-snr$snr-rho$rho"
      "$sdx" epr simulate -o "$dir" --phantom "$phantom" --snr "$snr" --rho "$rho" --seed 7 >/dev/null 2>&1
      for method in reservoir fourier tv; do
        "$sdx" epr reconstruct "$dir/proj.DSC" --reference "$dir/h.DSC" --fov 3 --method "$method" \
          --reservoir "$model" -o "$dir/$method" >/dev/null 2>&1
      done
      /usr/bin/python3 - "$dir" "$phantom" "$snr" "$rho" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
truth = np.fromfile(d + "/truth.f32", "<f4")
def nrmse(m):
    a = np.fromfile(f"{d}/{m}/image.f32", "<f4")
    return np.linalg.norm(a - truth) / np.linalg.norm(truth), -a[a < 0].sum() / np.abs(a).sum()
r, rn = nrmse("reservoir")
f, _ = nrmse("fourier")
t, _ = nrmse("tv")
print(f"{sys.argv[2]:<12} {sys.argv[3]:>5} {sys.argv[4]:>5}  {r:9.4f} {f:9.4f} {t:9.4f}  {rn:8.3f}")
PY
    done
  done
done
