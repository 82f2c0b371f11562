#!/usr/bin/python3
"""NumPy reference for the EPR speed figures (docs/PERFORMANCE.md): the same work as
bench_epr's BM_FourierBaseline and one TV iteration (A and A^T, the TV dual and primal steps)
on the real phalanx data onto 256^2, written as one would in NumPy (vectorised, no loops over
pixels). Prints median milliseconds over repeated runs.

    /usr/bin/python3 bench/epr_reference.py [DATA_DIR]
"""
import sys
import time
from pathlib import Path

import numpy as np

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
d = root / "epr" / "phalanx-2d"
proj = np.fromfile(d / "phalanx-20220203-proj.DTA", ">f8").reshape(113, 2000).astype(np.float32)
h = np.fromfile(d / "phalanx-20220203-h.DTA", ">f8").astype(np.float32)
B = np.load(d / "phalanx-20220203-B.npy").astype(np.float64)
fgrad = np.load(d / "phalanx-20220203-fgrad.npy")
theta = np.arctan2(fgrad[1], fgrad[0])
mu = np.hypot(fgrad[0], fgrad[1])
dB = B[1] - B[0]
M, P, N = 2000, 113, 256


def absorb(x):
    a = np.cumsum(x, axis=-1) * dB
    m = int(0.05 * a.shape[-1])
    left, right = a[..., :m].mean(-1, keepdims=True), a[..., -m:].mean(-1, keepdims=True)
    x0 = (m - 1) / 2
    t = (np.arange(a.shape[-1]) - x0) / (a.shape[-1] - 1 - 2 * x0)
    return a - (left + (right - left) * t)


ah = absorb(h)
i0 = int(np.argmax(ah))
b0 = B[i0]
fov = (B[-1] - B[0] - 2 * abs(B[np.argmax(h)] - B[np.argmin(h)])) / (mu.max() * np.sqrt(2))
pix = fov / N
L = 4000
kernel = np.zeros(L)
m = np.arange(-(M - 1), M)
valid = (i0 + m >= 0) & (i0 + m < M)
kernel[m[valid] % L] = ah[i0 + m[valid]]
K_abs = np.fft.rfft(kernel) * dB
kd = np.zeros(L)
kd[m[valid] % L] = h[i0 + m[valid]]
K_der = np.fft.rfft(kd) * dB
freq = np.fft.rfftfreq(L, dB)
S = 2 * int(np.ceil((N / 2 + 1) * pix * np.sqrt(2) / pix)) + 1
s_bins = (np.arange(S) - (S - 1) / 2) * pix
c = (N - 1) / 2
xs = (np.arange(N) - c) * pix
X, Y = np.meshgrid(xs, xs)
# Ram-Lak kernel
n = 2 * S
rl = np.zeros(n)
rl[0] = 1 / (4 * pix * pix)
odd = np.arange(1, S, 2)
rl[odd] = rl[n - odd] = -1 / (np.pi**2 * odd**2 * pix**2)
RL = np.fft.rfft(rl) * pix


def fourier_baseline(w=mu.max() / (3 * 3.6)):
    a = absorb(proj)
    G = np.exp(-0.5 * (freq * mu[:, None] / w) ** 2)
    q = np.fft.irfft(np.fft.rfft(a, L, axis=1) / K_abs * G, L, axis=1)[:, :M]
    sino = np.empty((P, S))
    for k in range(P):
        field = b0 - mu[k] * s_bins
        sino[k] = mu[k] * np.interp(field, B, q[k], left=0, right=0)
    f = np.fft.irfft(np.fft.rfft(sino, n, axis=1) * RL, n, axis=1)[:, :S]
    img = np.zeros((N, N))
    for k in range(P):
        t = (X * np.cos(theta[k]) + Y * np.sin(theta[k])) / pix + (S - 1) / 2
        img += np.interp(t, np.arange(S), f[k], left=0, right=0)
    return img * np.pi / P


# The TV iteration's operators (pixel-driven Radon with linear interpolation, field
# interpolation, FFT convolution with h, baseline removal, AR(8) whitening) and its steps.
ar = np.array([0.44, -0.19, 0.08, -0.03, 0.01, 0, 0, 0])
fir = np.r_[1.0, -ar]
T = [(X * np.cos(t) + Y * np.sin(t)) / pix + (S - 1) / 2 for t in theta]
I0 = [np.floor(t).astype(np.int64).ravel() for t in T]
F = [(t.ravel() - i) for t, i in zip(T, I0)]
tap = [((b0 - B) / mk) / pix + (S - 1) / 2 for mk in mu]
tcol = np.arange(M) - (M - 1) / 2


def detrend(p):
    p = p - p.mean(1, keepdims=True)
    return p - (p @ tcol)[:, None] / (tcol @ tcol) * tcol


def forward(u):
    u = u.ravel()
    sino = np.stack([np.bincount(i, u * (1 - f), S + 1)[:S] + np.bincount(i + 1, u * f, S + 1)[:S] for i, f in zip(I0, F)])
    q = np.stack([np.interp(tap[k], np.arange(S), sino[k], left=0, right=0) / mu[k] for k in range(P)])
    p = np.fft.irfft(np.fft.rfft(q, L, axis=1) * K_der, L, axis=1)[:, :M]
    p = detrend(p)
    return np.stack([np.convolve(x, fir)[:M] for x in p])


def adjoint(y):
    z = np.stack([np.convolve(x[::-1], fir)[:M][::-1] for x in y])
    z = detrend(z)
    q = np.fft.irfft(np.fft.rfft(z, L, axis=1) * np.conj(K_der), L, axis=1)[:, :M]
    img = np.zeros(N * N)
    for k in range(P):
        t = tap[k]
        ok = (t >= 0) & (t < S - 1)
        b = np.floor(t[ok]).astype(np.int64)
        fr = t[ok] - b
        r = np.bincount(b, q[k, ok] * (1 - fr) / mu[k], S) + np.bincount(b + 1, q[k, ok] * fr / mu[k], S)
        i, f = I0[k], F[k]
        inside = (i >= 0) & (i < S - 1)
        img[inside] += r[i[inside]] * (1 - f[inside]) + r[i[inside] + 1] * f[inside]
    return img.reshape(N, N)


def grad(u):
    gx = np.zeros_like(u)
    gy = np.zeros_like(u)
    gx[:, :-1] = u[:, 1:] - u[:, :-1]
    gy[:-1] = u[1:] - u[:-1]
    return gx, gy


def grad_t(gx, gy):
    out = np.zeros_like(gx)
    out[:, :-1] -= gx[:, :-1]
    out[:, 1:] += gx[:, :-1]
    out[:-1] -= gy[:-1]
    out[1:] += gy[:-1]
    return out


def tv_iteration(state, data, eps, tau=0.01, s1=1.0, s2=1.0):
    u, ubar, y1, yx, yy = state
    z = forward(ubar)
    v = y1 + s1 * z
    c = v / s1 - data
    nrm = np.linalg.norm(c)
    y1 = v - s1 * (data + c * min(1.0, eps / nrm))
    gx, gy = grad(ubar)
    vx, vy = yx + s2 * gx, yy + s2 * gy
    mag = np.maximum(1, np.hypot(vx, vy))
    yx, yy = vx / mag, vy / mag
    un = np.maximum(0, u - tau * (adjoint(y1) + grad_t(yx, yy)))
    return un, 2 * un - u, y1, yx, yy


def median_ms(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(times))


base = fourier_baseline()
data = np.stack([np.convolve(x, fir)[:M] for x in detrend(proj)])
state = [np.maximum(base, 0), np.maximum(base, 0), np.zeros_like(data), np.zeros((N, N)), np.zeros((N, N))]
eps = np.sqrt(data.size)


def one_iteration():
    global state
    state = tv_iteration(state, data, eps)


print(f"numpy {np.__version__}: fourier baseline {median_ms(fourier_baseline, 7):.1f} ms, "
      f"tv iteration {median_ms(one_iteration, 5):.1f} ms (phalanx, 256^2, one process)")
