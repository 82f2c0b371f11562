#!/usr/bin/python3
"""An independent numpy implementation of streamdx's LFCC features, written from
docs/FEATURES.md (not from the C++), and a checker that compares streamdx's output with it.

usage:
  lfcc_ref.py SIGNAL.npy FEATURES.npy   compare; exit 1 on any disagreement
  lfcc_ref.py --time SIGNAL.npy         time this implementation; print JSON

SIGNAL.npy is what `streamdx stream --from X --to SIGNAL.npy` writes: the 250 Hz montage
signal, shape (samples, channels). FEATURES.npy is what `streamdx features X -o FEATURES.npy`
writes: shape (frames, channels, 26). Agreement means |cpp - ref| <= 1e-4 |ref| or <= 1e-5
(near zero) for every feature of every frame and channel.

The whole recording is processed at once, vectorised over frames: nothing here streams, which
is part of what makes the comparison independent.
"""
import json
import sys
import time

import numpy as np

FS = 250.0
HOP = 25
WIN = 50
LEAD = 13  # window of frame t starts 13 samples before the frame
NFFT = 64
NFILT = 8
F_LO, F_HI = 0.0, 40.0
FLOOR = 1e-6
NCEP = 7


def filter_bank():
    """(NFILT, NFFT//2+1) triangle weights H_m(f_k)."""
    edges = F_LO + (F_HI - F_LO) * np.arange(NFILT + 2) / (NFILT + 1)
    f = np.arange(NFFT // 2 + 1) * FS / NFFT
    H = np.zeros((NFILT, f.size))
    for m in range(NFILT):
        lo, mid, hi = edges[m], edges[m + 1], edges[m + 2]
        rising = (f > lo) & (f <= mid)
        falling = (f > mid) & (f < hi)
        H[m, rising] = (f[rising] - lo) / (mid - lo)
        H[m, falling] = (hi - f[falling]) / (hi - mid)
    return H


def dct_matrix():
    """(NCEP, NFILT): orthonormal DCT-II rows 1..7."""
    i = np.arange(1, NCEP + 1)[:, None]
    m = np.arange(NFILT)[None, :]
    return np.sqrt(2.0 / NFILT) * np.cos(np.pi * i * (m + 0.5) / NFILT)


def regression_delta(z, K):
    """Centred regression slope over 2K+1 rows of z (T, ...), edge-extended."""
    T = z.shape[0]
    padded = np.concatenate([np.repeat(z[:1], K, axis=0), z, np.repeat(z[-1:], K, axis=0)])
    num = sum(k * (padded[K + k:K + k + T] - padded[K - k:K - k + T]) for k in range(1, K + 1))
    return num / (2.0 * sum(k * k for k in range(1, K + 1)))


def lfcc(x):
    """Features of one channel x (N,) with N a multiple of 25: returns (N/25, 26)."""
    x = np.asarray(x, dtype=np.float64)
    T = x.size // HOP
    ext = np.concatenate([np.full(LEAD, x[0]), x, np.full(WIN, x[-1])])
    starts = HOP * np.arange(T)  # index of x[25t - 13] in ext
    windows = ext[starts[:, None] + np.arange(WIN)[None, :]]  # (T, 50)

    d = windows - windows.mean(axis=1, keepdims=True)
    energy = np.log(np.maximum((d * d).mean(axis=1), FLOOR))
    h = np.hamming(WIN)
    Y = np.fft.rfft(d * h, n=NFFT, axis=1)
    P = np.abs(Y) ** 2 / np.sum(h * h)
    bands = np.log(np.maximum(P @ filter_bank().T, FLOOR))  # (T, 8)
    ceps = bands @ dct_matrix().T  # (T, 7)

    absolute = np.column_stack([energy, ceps])  # (T, 8)
    diff = np.array([energy[max(0, t - 8):t + 1].max() - energy[max(0, t - 8):t + 1].min()
                     for t in range(T)])
    nine = np.column_stack([absolute, diff])  # (T, 9)
    deltas = regression_delta(nine, 4)
    delta_deltas = regression_delta(deltas[:, :8], 1)
    return np.column_stack([nine, deltas, delta_deltas])


def reference(signal):
    """(samples, channels) -> (frames, channels, 26)."""
    return np.stack([lfcc(signal[:, c]) for c in range(signal.shape[1])], axis=1)


def compare(signal_path, features_path):
    signal = np.load(signal_path)
    got = np.load(features_path).astype(np.float64)
    ref = reference(signal)
    if got.shape != ref.shape:
        print(f"shape: streamdx {got.shape}, reference {ref.shape}")
        return 1
    err = np.abs(got - ref)
    allowed = np.maximum(1e-4 * np.abs(ref), 1e-5)
    bad = err > allowed
    worst = np.unravel_index(np.argmax(err / allowed), err.shape)
    with open(features_path[:-4] + ".json") as f:
        names = json.load(f)["values"]
    print(f"{features_path}: {got.shape[0]} frames x {got.shape[1]} channels x 26; "
          f"max |diff| {err.max():.3g}, worst ratio to tolerance {(err / allowed).max():.3g} "
          f"at frame {worst[0]} channel {worst[1]} feature {names[worst[2]]} "
          f"(streamdx {got[worst]:.7g}, reference {ref[worst]:.7g})")
    if bad.any():
        print(f"{int(bad.sum())} of {bad.size} features disagree")
        return 1
    return 0


def time_reference(signal_path):
    signal = np.load(signal_path)
    reference(signal)  # warm up
    repeats = 3
    start = time.perf_counter()
    for _ in range(repeats):
        reference(signal)
    seconds = (time.perf_counter() - start) / repeats
    frames = signal.shape[0] // HOP
    channel_frames = frames * signal.shape[1]
    print(json.dumps({"implementation": "numpy reference (tests/reference/lfcc_ref.py)",
                      "channels": signal.shape[1], "frames": frames,
                      "seconds": seconds, "ns_per_channel_frame": seconds * 1e9 / channel_frames,
                      "realtime_multiple": frames * HOP / FS / seconds}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--time":
        sys.exit(time_reference(sys.argv[2]))
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(compare(sys.argv[1], sys.argv[2]))
