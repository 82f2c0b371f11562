#!/usr/bin/env bash
# EPR image quality as the projections of an acquisition arrive (docs/EPR.md, "Live"): simulated
# phantoms on the phalanx geometry (113 projections, 256^2, SNR 50), acquired in angle order
# (sequential) or bit-reversed (interleaved). For the first 25, 50, 75 and 100 % of the
# projections, `epr compare --first N` gives TV's NRMSE and SSIM against the truth, with the
# Fourier baseline at its oracle apodization beside it. Writes live-quality.csv and, with
# matplotlib, live-quality.png into OUT_DIR.
#
#   bench/epr_live_quality.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$(mktemp -d)}"
sdx="${STREAMDX_BIN:-$build/streamdx}"
mkdir -p "$out"
csv="$out/live-quality.csv"
echo "phantom,order,projections,fraction,fourier_oracle_nrmse,fourier_oracle_ssim,tv_nrmse,tv_ssim,tv_iterations" >"$csv"
for phantom in disks shepp-logan; do
  for order in sequential interleaved; do
    dir="$out/$phantom-$order"
    "$sdx" epr simulate -o "$dir" --phantom "$phantom" --snr 50 --seed 7 --order "$order" >/dev/null 2>&1
    for n in 28 57 85 113; do
      "$sdx" epr compare "$dir/proj.DSC" --reference "$dir/h.DSC" --truth "$dir/truth.f32" \
        --first "$n" --json 2>/dev/null >"$dir/compare-$n.json"
      /usr/bin/python3 - "$dir/compare-$n.json" "$phantom" "$order" "$n" >>"$csv" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
n = int(sys.argv[4])
f, t = c["fourier_oracle"], c["tv"]
print(f"{sys.argv[2]},{sys.argv[3]},{n},{n / 113:.2f},{f['nrmse']:.4f},{f['ssim']:.3f},"
      f"{t['nrmse']:.4f},{t['ssim']:.3f},{t['iterations']}")
PY
    done
  done
done
column -s, -t "$csv"
/usr/bin/python3 - "$csv" "$out/live-quality.png" <<'PY' || echo "(no plot: matplotlib missing)"
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
rows = list(csv.DictReader(open(sys.argv[1])))
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, phantom in zip(axes, ["disks", "shepp-logan"]):
    for order, style in [("sequential", "-"), ("interleaved", "--")]:
        r = [x for x in rows if x["phantom"] == phantom and x["order"] == order]
        frac = [100 * float(x["fraction"]) for x in r]
        ax.plot(frac, [float(x["tv_nrmse"]) for x in r], "o" + style, color="C0",
                label=f"TV, automatic lambda ({order})")
        ax.plot(frac, [float(x["fourier_oracle_nrmse"]) for x in r], "s" + style, color="C1",
                label=f"Fourier, oracle width ({order})")
    ax.set_title(f"{phantom}, SNR 50, 113 projections")
    ax.set_xlabel("projections arrived (%)")
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
axes[0].set_ylabel("NRMSE against the truth")
axes[1].legend(fontsize=8)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=100)
PY
echo "$out"
