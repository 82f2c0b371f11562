#!/usr/bin/python3
"""Checks a streamdx signal file with MNE, independently of streamdx's own readers.

usage: check_signal_file.py SIGNAL.edf ORIGINAL.edf

The original must be a 250 Hz referential TUSZ recording, so that the signal file's FP1-F7 must
equal the original's EEG FP1-REF minus EEG F7-REF to within the signal file's quantisation
(0.125 µV steps, rounded: 0.0625 µV) plus the original's own.
"""
import sys

import mne
import numpy as np

signal = mne.io.read_raw_edf(sys.argv[1], preload=True, verbose=False)
original = mne.io.read_raw_edf(sys.argv[2], preload=True, verbose=False)
assert signal.info["sfreq"] == 250.0, signal.info["sfreq"]
assert signal.ch_names[:3] == ["FP1-F7", "F7-T3", "T3-T5"], signal.ch_names
assert len(signal.ch_names) == 22, signal.ch_names
expected = (original.get_data(picks=["EEG FP1-REF"]) - original.get_data(picks=["EEG F7-REF"]))[0]
got = signal.get_data(picks=["FP1-F7"])[0]
assert got.shape == expected.shape, (got.shape, expected.shape)
error_uv = np.abs(got - expected).max() * 1e6
assert error_uv <= 0.0625 + 1e-6, error_uv
print(f"MNE read {len(signal.ch_names)} channels x {signal.n_times} samples; max error {error_uv:.4f} uV")
