#!/usr/bin/python3
"""Dominant rhythm of each Bonn training segment, by set: where the seizure class has few
examples, and where the background sets put their power.

    /usr/bin/python3 scripts/bonn_rhythms.py [--first 1] [--last 80] [--bonn DIR]

For each set, the fraction of segments whose 1-20 Hz power-spectrum peak (Welch, 4 s Hann
segments, 50 % overlap) lies in each band, the median peak, and the mean share of 1-40 Hz power
at 3-4.5 Hz. Segments 081-100 are the test split and are refused: nothing may be chosen from
them (models/README.md, "Seed replicates").
"""
import argparse
import os
import sys

import numpy as np

FS = 173.61  # Hz, every Bonn segment
BANDS = [(2, 3), (3, 4), (4, 5), (5, 6), (6, 8), (8, 13), (13, 20)]


def welch(x):
    n = int(4 * FS)
    step = n // 2
    w = np.hanning(n)
    power = np.mean([np.abs(np.fft.rfft(w * x[i:i + n])) ** 2 for i in range(0, len(x) - n, step)],
                    axis=0)
    return np.fft.rfftfreq(n, 1 / FS), power


def main():
    data = os.environ.get("STREAMDX_DATA", os.path.join(os.path.dirname(__file__), "../../shared/data"))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bonn", default=os.path.join(data, "eeg/bonn"))
    p.add_argument("--first", type=int, default=1)
    p.add_argument("--last", type=int, default=80)
    a = p.parse_args()
    if not 1 <= a.first <= a.last <= 80:
        sys.exit("bonn_rhythms.py: --first/--last must lie within 1-80 (81-100 are the test split)")
    print(f"Bonn segments {a.first:03}-{a.last:03}: fraction of segments whose 1-20 Hz peak lies in")
    print("set   n  " + " ".join(f"{lo:g}-{hi:g} Hz".rjust(9) for lo, hi in BANDS)
          + "  median peak  power share 3-4.5 Hz")
    for s in "ABCDE":
        folder = os.path.join(a.bonn, s)
        if not os.path.isdir(folder):
            sys.exit(f"bonn_rhythms.py: {folder}: no such folder (set STREAMDX_DATA or --bonn)")
        names = sorted(f for f in os.listdir(folder)
                       if f.lower().endswith(".txt") and a.first <= int(f[1:4]) <= a.last)
        peaks, shares = [], []
        for name in names:
            x = np.loadtxt(os.path.join(folder, name))
            f, power = welch(x - x.mean())
            band = (f >= 1) & (f <= 20)
            peaks.append(f[band][np.argmax(power[band])])
            shares.append(power[(f >= 3) & (f < 4.5)].sum() / power[(f >= 1) & (f <= 40)].sum())
        peaks = np.array(peaks)
        row = " ".join(f"{np.mean((peaks >= lo) & (peaks < hi)):9.2f}" for lo, hi in BANDS)
        print(f"{s}  {len(names):3d}  {row}  {np.median(peaks):8.1f} Hz  {np.mean(shares):12.2f}")


if __name__ == "__main__":
    main()
