"""
requests (installed with pymongo[ocsp]) only reports pyOpenSSL: its
`python -m requests.help` shows OpenSSL.__version__ and
OpenSSL.SSL.OPENSSL_VERSION_NUMBER formatted with :x (so it must be an
int). It uses urllib3 over the stdlib ssl module unless told otherwise;
with urllib3.contrib.pyopenssl injected it goes through this package.
"""

import requests
import requests.help
import urllib3.contrib.pyopenssl

import OpenSSL
from OpenSSL import SSL

from .support import BIG_BODY, TIMEOUT


def test_help_reports_this_package():
    info = requests.help.info()
    assert info["pyOpenSSL"] == {
        "version": OpenSSL.__version__,
        "openssl_version": "%x" % SSL.OPENSSL_VERSION_NUMBER,
    }
    assert info["using_pyopenssl"] is True
    assert OpenSSL.__version__ == "26.4.0"


def test_session_through_injected_urllib3(https_server, pem):
    server = https_server()
    urllib3.contrib.pyopenssl.inject_into_urllib3()
    try:
        with requests.Session() as session:
            first = session.get(
                "https://localhost:%d/first" % server.port,
                verify=pem.ca.cert_path,
                timeout=TIMEOUT,
                stream=True,
            )
            sock = first.raw.connection.sock
            assert isinstance(sock, urllib3.contrib.pyopenssl.WrappedSocket)
            assert isinstance(sock.connection, SSL.Connection)
            assert first.content == b"hello /first"
            for i in range(3):
                response = session.get(
                    "https://localhost:%d/r%d" % (server.port, i),
                    verify=pem.ca.cert_path,
                    timeout=TIMEOUT,
                )
                assert response.content == b"hello /r%d" % i
            big = session.get(
                "https://127.0.0.1:%d/big" % server.port,
                verify=pem.ca.cert_path,
                timeout=TIMEOUT,
            )
            assert big.content == BIG_BODY
    finally:
        urllib3.contrib.pyopenssl.extract_from_urllib3()
    # Keep-alive: one connection per host name.
    assert server.connections == 2
