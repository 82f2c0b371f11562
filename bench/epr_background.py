#!/usr/bin/python3
"""Background figures of a 256^2 phalanx reconstruction (docs/EPR.md): over the columns left of
x = -8 mm and right of x = 8.4 mm, where the sample is not, the share of the image's |mass|, the
largest |value| and the rms, both relative to the image's peak.

    /usr/bin/python3 bench/epr_background.py OUT/image.f32 [...]
"""
import sys

import numpy as np

for path in sys.argv[1:]:
    u = np.fromfile(path, "<f4").reshape(256, 256)
    background = np.zeros_like(u, bool)
    background[:, :60] = True
    background[:, 200:] = True
    b = u[background]
    print(f"{path}: |mass| share {np.abs(b).sum() / np.abs(u).sum():.3f}, "
          f"largest {np.abs(b).max() / u.max():.3f} of peak, rms {np.sqrt((b ** 2).mean()) / u.max():.4f} of peak")
