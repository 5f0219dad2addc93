"""Constants and helpers shared by the integration tests."""

import os
import socket
import struct
import time

import OpenSSL

# Everything here must finish in seconds; timeouts are safety nets only.
TIMEOUT = 15.0

# A deterministic body of a little over 5 MB for the large transfers.
BIG_BODY = (bytes(range(256)) * 4096 * 6)[: 5 * 1024 * 1024 + 123]


def set_os_timeouts(sock, seconds=TIMEOUT):
    """
    A kernel-level timeout on a socket that stays in blocking mode (as far
    as Python and the Connection know), so a stuck handshake ends in an
    error instead of hanging the test run.
    """
    tv = struct.pack("ll", int(seconds), 0)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, tv)


def wait_until(predicate, timeout=TIMEOUT):
    """Poll predicate() until it is true (returned) or timeout passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.01)


def child_env():
    """
    The environment for a child Python process that must import the very
    OpenSSL package this process tests (in-place build or installed).
    """
    package_root = os.path.dirname(os.path.dirname(OpenSSL.__file__))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [package_root] + [p for p in [env.get("PYTHONPATH")] if p]
    )
    return env
