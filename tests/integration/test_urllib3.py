"""
urllib3 with urllib3.contrib.pyopenssl injected: every HTTPS connection
urllib3 makes then goes through OpenSSL.SSL.Context/Connection of this
package (WrappedSocket around a Connection on a socket with a timeout),
against a standard-library HTTPS server on 127.0.0.1.
"""

import json
import ssl
import threading

import pytest
import urllib3
import urllib3.contrib.pyopenssl
from urllib3.exceptions import ProtocolError, SSLError

from OpenSSL import SSL, crypto

from .support import BIG_BODY, TIMEOUT, wait_until


@pytest.fixture
def injected():
    urllib3.contrib.pyopenssl.inject_into_urllib3()
    try:
        yield
    finally:
        urllib3.contrib.pyopenssl.extract_from_urllib3()


@pytest.fixture
def pool(injected, https_server, pem):
    """pool(server=None, host="localhost", **kw) -> HTTPSConnectionPool."""
    pools = []

    def make(server=None, host="localhost", **kw):
        server = server or https_server()
        kw.setdefault("ca_certs", pem.ca.cert_path)
        kw.setdefault("cert_reqs", "CERT_REQUIRED")
        kw.setdefault("timeout", TIMEOUT)
        p = urllib3.HTTPSConnectionPool(
            host, server.port, retries=False, **kw
        )
        pools.append(p)
        return p

    yield make
    for p in pools:
        p.close()


def wrapped_connection(response):
    """The OpenSSL.SSL.Connection under a urllib3 response."""
    sock = response.connection.sock
    assert isinstance(sock, urllib3.contrib.pyopenssl.WrappedSocket)
    return sock.connection


def test_injection_uses_this_package(injected):
    assert (
        urllib3.util.ssl_.SSLContext
        is urllib3.contrib.pyopenssl.PyOpenSSLContext
    )
    assert urllib3.contrib.pyopenssl.OpenSSL.SSL is SSL


def test_extract_restores_stdlib(pool):
    urllib3.contrib.pyopenssl.extract_from_urllib3()
    try:
        assert urllib3.util.ssl_.SSLContext is not (
            urllib3.contrib.pyopenssl.PyOpenSSLContext
        )
        # ...and a stdlib-ssl connection works alongside.
        response = pool().request("GET", "/plain", preload_content=False)
        try:
            assert not isinstance(
                response.connection.sock,
                urllib3.contrib.pyopenssl.WrappedSocket,
            )
            assert response.read() == b"hello /plain"
        finally:
            response.release_conn()
    finally:
        urllib3.contrib.pyopenssl.inject_into_urllib3()


def test_verified_request_by_name(pool, pem):
    response = pool().request("GET", "/index", preload_content=False)
    try:
        assert response.status == 200
        conn = wrapped_connection(response)
        assert isinstance(conn, SSL.Connection)
        sock = response.connection.sock
        assert sock.version() in ("TLSv1.2", "TLSv1.3")
        peer = sock.getpeercert()
        assert ("DNS", "localhost") in peer["subjectAltName"]
        assert ("IP Address", "127.0.0.1") in peer["subjectAltName"]
        assert dict(x[0] for x in peer["subject"])["commonName"] == (
            "localhost"
        )
        der = sock.getpeercert(binary_form=True)
        assert der == crypto.dump_certificate(
            crypto.FILETYPE_ASN1, pem.server.cert
        )
        assert response.read() == b"hello /index"
    finally:
        response.release_conn()


def test_verified_request_by_ip_literal(pool):
    response = pool(host="127.0.0.1").request("GET", "/ip")
    assert response.status == 200
    assert response.data == b"hello /ip"


def test_alpn(pool):
    response = pool().request("GET", "/alpn", preload_content=False)
    try:
        assert response.connection.sock.selected_alpn_protocol() == (
            "http/1.1"
        )
        assert wrapped_connection(response).get_alpn_proto_negotiated() == (
            b"http/1.1"
        )
    finally:
        response.release_conn()


@pytest.mark.parametrize(
    "version, name",
    [
        (ssl.TLSVersion.TLSv1_2, "TLSv1.2"),
        (ssl.TLSVersion.TLSv1_3, "TLSv1.3"),
    ],
)
def test_tls_version_bounds(pool, version, name):
    # minimum_version/maximum_version become OP_NO_* bits passed to
    # Context.set_options() again on every assignment.
    response = pool(
        ssl_minimum_version=version, ssl_maximum_version=version
    ).request("GET", "/v", preload_content=False)
    try:
        assert response.connection.sock.version() == name
        assert (
            wrapped_connection(response).get_protocol_version_name() == name
        )
    finally:
        response.release_conn()


def test_read_timeout(pool):
    # WantReadError on a socket with a timeout; urllib3 waits, then gives up.
    from urllib3.exceptions import ReadTimeoutError

    with pytest.raises(ReadTimeoutError):
        pool(timeout=urllib3.Timeout(connect=TIMEOUT, read=0.2)).request(
            "GET", "/slow"
        )


def test_hostname_mismatch_rejected(pool, https_server, pem):
    server = https_server(cert_files=pem.wronghost)
    with pytest.raises(SSLError) as info:
        pool(server=server).request("GET", "/")
    # urllib3 matches the names from X509.to_cryptography()'s SAN list.
    assert "doesn't match" in str(info.value)
    assert "wrong.example" in str(info.value)


def test_untrusted_ca_rejected(pool, https_server, pem):
    server = https_server(cert_files=pem.rogue)
    with pytest.raises(SSLError) as info:
        pool(server=server).request("GET", "/")
    assert "certificate verify failed" in str(info.value)
    assert "unknown ca" in str(wait_until(lambda: server.errors))


def test_wrong_trust_root_rejected(pool, pem):
    with pytest.raises(SSLError) as info:
        pool(ca_certs=pem.rogue_ca.cert_path).request("GET", "/")
    assert "certificate verify failed" in str(info.value)


def test_cert_none_accepts_untrusted(pool, https_server, pem):
    server = https_server(cert_files=pem.rogue)
    with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
        response = pool(
            server=server, cert_reqs="CERT_NONE", ca_certs=None
        ).request("GET", "/anyway")
    assert response.data == b"hello /anyway"


def test_client_certificate_accepted(pool, https_server, pem):
    server = https_server(client_ca=pem.ca.cert_path)
    response = pool(
        server=server,
        cert_file=pem.client.cert_path,
        key_file=pem.client.key_path,
    ).request("GET", "/whoami")
    assert json.loads(response.data) == {"client_cn": "client"}
    assert not server.errors


def test_client_certificate_with_encrypted_key(pool, https_server, pem):
    # urllib3 >= 2.x loads an encrypted key with cryptography and hands the
    # cryptography key to Context.use_privatekey (pyOpenSSL >= 26 path).
    server = https_server(client_ca=pem.ca.cert_path)
    response = pool(
        server=server,
        cert_file=pem.client.cert_path,
        key_file=pem.client.encrypted_key_path,
        key_password=pem.client.password.decode(),
    ).request("GET", "/whoami")
    assert json.loads(response.data) == {"client_cn": "client"}


def test_client_certificate_missing_rejected(pool, https_server, pem):
    server = https_server(client_ca=pem.ca.cert_path)
    # With TLS 1.3 the client's handshake completes first; the server's
    # "certificate required" alert arrives when the client reads. (If the
    # server's close overtakes the request, sending fails with
    # SysCallError(EPIPE/ECONNRESET) instead: urllib3 1.26 sees that.)
    with pytest.raises((SSLError, ProtocolError)) as info:
        pool(server=server).request("GET", "/whoami")
    message = str(info.value)
    assert "certificate required" in message or (
        "EPIPE" in message or "ECONNRESET" in message
    ), message
    assert "did not return a certificate" in str(
        wait_until(lambda: server.errors)
    )


def test_large_body_not_streamed(pool):
    response = pool().request("GET", "/big")
    assert len(response.data) == len(BIG_BODY)
    assert response.data == BIG_BODY


def test_large_body_streamed(pool):
    response = pool().request("GET", "/big", preload_content=False)
    try:
        chunks = list(response.stream(65536))
    finally:
        response.release_conn()
    assert max(len(c) for c in chunks) <= 65536
    assert b"".join(chunks) == BIG_BODY


def test_large_body_readinto(pool):
    # The path urllib3 2.x's makefile() takes: SocketIO.readinto ->
    # WrappedSocket.recv_into -> Connection.recv_into(memoryview).
    response = pool().request("GET", "/big", preload_content=False)
    try:
        buf = bytearray(len(BIG_BODY) + 10)
        view = memoryview(buf)
        got = 0
        while True:
            n = response.readinto(view[got:])
            if not n:
                break
            got += n
    finally:
        response.release_conn()
    assert got == len(BIG_BODY)
    assert bytes(buf[:got]) == BIG_BODY


def test_large_upload(pool):
    response = pool().request("POST", "/upload", body=BIG_BODY)
    assert int(response.data) == len(BIG_BODY)


def test_keep_alive_reuses_one_connection(pool, https_server):
    server = https_server()
    p = pool(server=server, maxsize=1, block=True)
    connections = set()
    for i in range(5):
        response = p.request("GET", "/n%d" % i)
        assert response.data == b"hello /n%d" % i
        connections.add(id(response.connection))
    assert p.num_connections == 1
    assert server.connections == 1
    assert server.requests == 5


def test_threads_share_one_pool(pool, https_server):
    server = https_server()
    p = pool(server=server, maxsize=4)
    results, errors = [], []

    def worker(n):
        try:
            for i in range(3):
                path = "/t%d-%d" % (n, i)
                data = p.request("GET", path).data
                results.append(data == b"hello " + path.encode())
            results.append(p.request("GET", "/big").data == BIG_BODY)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 2)
    assert not errors
    assert results == [True] * 16
    assert server.requests == 16


def test_pool_manager_end_to_end(injected, https_server, pem):
    server = https_server()
    with urllib3.PoolManager(
        ca_certs=pem.ca.cert_path, timeout=TIMEOUT, retries=False
    ) as manager:
        response = manager.request(
            "GET", "https://localhost:%d/pm" % server.port
        )
        assert response.status == 200
        assert response.data == b"hello /pm"
