"""python -m OpenSSL: the self-contained loopback demo of the README."""

import subprocess
import sys


def test_demo_round_trip():
    out = subprocess.run(
        [sys.executable, "-m", "OpenSSL"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "server name (SNI) received: localhost" in out
    assert "protocol: TLSv1.3" in out
    assert "cipher:   TLS_" in out
    assert "peer certificate subject: O=pyOpenSSL demo, CN=localhost" in out
    assert "issuer: O=pyOpenSSL demo, CN=pyOpenSSL demo CA" in out
    assert "echo:     b'hello from pyOpenSSL, written in C'" in out
