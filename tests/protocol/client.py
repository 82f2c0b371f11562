#!/usr/bin/python3
"""An independent decoder-service client, written from docs/PROTOCOL.md ("Decoder service,
version 1") alone, with pyzmq and numpy.

    client.py ADDRESS WINDOWS.npy EXPECTED.npy

WINDOWS.npy holds N requests' windows, shape (N, C, 7, E) float32; EXPECTED.npy the posteriors
the C++ client got for them, shape (N, C, 2). This client asks for hello, checks the encoding
size, sends every request at once (pipelined), collects the replies in whatever order they
come, and exits 0 only if every posterior is bit-identical to the C++ client's.
"""
import json
import struct
import sys

import numpy as np
import zmq

PREFIX = struct.Struct("<4sHHII")  # magic, version, kind, body size, reserved
HEAD = struct.Struct("<QQHHI")  # stream id, sequence, channels, steps / 0, encoding size / 0
DECODE, HELLO = 1, 2
POSTERIORS, HELLO_REPLY, BUSY, ERROR = 1, 2, 8, 9


def request(kind, stream, sequence, windows=None):
    if windows is None:
        payload, channels, steps, size = b"", 0, 0, 0
    else:
        channels, steps, size = windows.shape
        payload = np.ascontiguousarray(windows, dtype="<f4").tobytes()
    body = HEAD.pack(stream, sequence, channels, steps, size) + payload
    return PREFIX.pack(b"SDXQ", 1, kind, len(body), 0) + body


def parse_reply(message):
    magic, version, kind, body, _ = PREFIX.unpack_from(message, 0)
    if magic != b"SDXA" or version != 1 or body != len(message) - PREFIX.size:
        raise SystemExit(f"not a version-1 reply: {message[:16]!r}")
    stream, sequence, channels, _, _ = HEAD.unpack_from(message, PREFIX.size)
    payload = message[PREFIX.size + HEAD.size:]
    return kind, stream, sequence, channels, payload


def main():
    address, windows_path, expected_path = sys.argv[1:4]
    windows = np.load(windows_path)
    expected = np.load(expected_path)
    n, channels, steps, size = windows.shape
    socket = zmq.Context.instance().socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.setsockopt(zmq.RCVTIMEO, 10000)
    socket.connect(address)

    socket.send(request(HELLO, 0, 0))
    kind, _, _, _, payload = parse_reply(socket.recv())
    if kind != HELLO_REPLY:
        raise SystemExit(f"hello answered with kind {kind}: {payload!r}")
    hello = json.loads(payload)
    if hello["protocol"] != 1 or hello["encoding_size"] != size or hello["steps"] != steps:
        raise SystemExit(f"the server decodes another shape: {hello}")

    stream = 0x5059  # this client's own stream id
    for i in range(n):
        socket.send(request(DECODE, stream, i, windows[i]))
    got = {}
    while len(got) < n:
        kind, s, sequence, c, payload = parse_reply(socket.recv())
        if kind == BUSY:
            socket.send(request(DECODE, stream, sequence, windows[sequence]))
            continue
        if kind != POSTERIORS:
            raise SystemExit(f"request {sequence}: reply kind {kind}: {payload!r}")
        if s != stream or c != channels or sequence in got:
            raise SystemExit(f"unexpected reply: stream {s}, sequence {sequence}, {c} channels")
        got[sequence] = np.frombuffer(payload, dtype="<f4").reshape(channels, 2)
    posteriors = np.stack([got[i] for i in range(n)])
    if not np.array_equal(posteriors.view(np.uint32), expected.view(np.uint32)):
        diff = np.abs(posteriors - expected).max()
        raise SystemExit(f"posteriors differ from the C++ client's (max {diff})")
    print(f"{n} requests of {channels} channels: the C++ client's posteriors, bit for bit")


if __name__ == "__main__":
    main()
