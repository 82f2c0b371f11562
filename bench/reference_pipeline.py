#!/usr/bin/python3
"""The Python pipeline streamdx is compared with (bench/compare_reference.sh): the project's
numpy LFCC reference (tests/reference/lfcc_ref.py), 7-epoch channel windows built as
EpochWindows builds them, and the committed TorchScript model run by PyTorch (Debian's
python3-torch), one epoch of all channels per forward pass, as a stream would.

usage: reference_pipeline.py SIGNAL.npy MODEL.pt
prints one JSON object: seconds per part and the multiple of real time.
"""
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "reference"))
import lfcc_ref  # noqa: E402

FRAMES_PER_EPOCH = 10
STEPS = 7


def windows_per_epoch(features):
    """(frames, channels, 26) -> list of (channels, 7, 260) arrays, one per whole epoch."""
    frames, channels, nfeat = features.shape
    epochs = frames // FRAMES_PER_EPOCH
    per_epoch = features[: epochs * FRAMES_PER_EPOCH].reshape(epochs, FRAMES_PER_EPOCH, channels,
                                                              nfeat)
    per_epoch = per_epoch.transpose(0, 2, 1, 3).reshape(epochs, channels, FRAMES_PER_EPOCH * nfeat)
    out = []
    for e in range(epochs):
        steps = [per_epoch[max(e - (STEPS - 1 - s), 0)] for s in range(STEPS)]
        out.append(np.stack(steps, axis=1).astype(np.float32))
    return out


def main(signal_path, model_path):
    torch.set_num_threads(1)
    signal = np.load(signal_path)
    model = torch.jit.load(model_path)
    model.eval()
    stream_s = signal.shape[0] / lfcc_ref.FS

    start = time.perf_counter()
    features = lfcc_ref.reference(signal)
    t_features = time.perf_counter() - start

    start = time.perf_counter()
    windows = windows_per_epoch(features)
    t_windows = time.perf_counter() - start

    start = time.perf_counter()
    with torch.no_grad():
        for w in windows:
            model.posteriors(torch.from_numpy(w))
    t_model = time.perf_counter() - start

    total = t_features + t_windows + t_model
    print(json.dumps({
        "implementation": "numpy LFCC reference + PyTorch " + torch.__version__ +
                          " TorchScript model, 1 thread",
        "stream_s": stream_s, "channels": int(signal.shape[1]), "epochs": len(windows),
        "features_s": t_features, "windows_s": t_windows, "model_s": t_model,
        "total_s": total, "realtime_multiple": stream_s / total}))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
