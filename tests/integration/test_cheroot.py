"""
cheroot (CherryPy's WSGI server) serving HTTPS through its pyOpenSSL
adapter, cheroot.ssl.pyopenssl.pyOpenSSLAdapter, on 127.0.0.1: the adapter
builds an SSL.Context from files (set_passwd_cb, use_privatekey_file,
load_verify_locations, use_certificate_file), wraps the *listening* socket
in a Connection and accepts through Connection.accept(); requests are read
and answered through the Connection's socket methods. Clients are the
standard library's http.client and ssl.
"""

import hashlib
import http.client
import json
import socket
import ssl
import threading

import pytest
from cheroot import wsgi
from cheroot.ssl.pyopenssl import pyOpenSSLAdapter

from .support import BIG_BODY, TIMEOUT

ENVIRON_KEYS = [
    "wsgi.url_scheme",
    "HTTPS",
    "SSL_VERSION_INTERFACE",
    "SSL_VERSION_LIBRARY",
    "SSL_SERVER_M_VERSION",
    "SSL_SERVER_M_SERIAL",
    "SSL_SERVER_S_DN",
    "SSL_SERVER_S_DN_CN",
    "SSL_SERVER_I_DN_CN",
]


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/environ":
        body = json.dumps(
            {k: environ.get(k) for k in ENVIRON_KEYS}, default=str
        ).encode()
    elif path == "/upload":
        data = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        body = json.dumps(
            {"length": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        ).encode()
    elif path == "/big":
        body = BIG_BODY
    else:
        body = b"hello from cheroot " + path.encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


@pytest.fixture
def cheroot_server(pem):
    """cheroot_server(**adapter_kwargs) -> port of a running server."""
    running = []

    def start(blocking=False, **adapter_kwargs):
        adapter_kwargs.setdefault("certificate", pem.server.cert_path)
        adapter_kwargs.setdefault("private_key", pem.server.key_path)
        adapter_kwargs.setdefault("certificate_chain", pem.ca.cert_path)
        server = wsgi.Server(
            ("127.0.0.1", 0),
            app,
            numthreads=2,
            timeout=None if blocking else TIMEOUT,
        )
        server.ssl_adapter = pyOpenSSLAdapter(**adapter_kwargs)
        server.error_log = lambda *args, **kw: None
        server.expiration_interval = 0.05  # quicker stop()
        server.prepare()
        thread = threading.Thread(target=server.serve, name="cheroot")
        thread.start()
        running.append((server, thread))
        return server.bind_addr[1]

    yield start
    for server, thread in running:
        server.stop()
        thread.join(TIMEOUT)


@pytest.fixture
def client_context(pem):
    context = ssl.create_default_context(cafile=pem.ca.cert_path)
    return context


def get(port, context, path, method="GET", body=None, host="localhost"):
    conn = http.client.HTTPSConnection(
        host, port, context=context, timeout=TIMEOUT
    )
    try:
        conn.request(method, path, body=body)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_get_page(cheroot_server, client_context):
    port = cheroot_server()
    status, body = get(port, client_context, "/hello")
    assert status == 200
    assert body == b"hello from cheroot /hello"


def test_ssl_environ(cheroot_server, client_context, pem):
    port = cheroot_server()
    status, body = get(port, client_context, "/environ")
    assert status == 200
    environ = json.loads(body)
    assert environ["wsgi.url_scheme"] == "https"
    assert environ["HTTPS"] == "on"
    # OpenSSL.version.__title__/__version__ and SSLeay_version().
    assert "pyOpenSSL/26.4.0" in environ["SSL_VERSION_INTERFACE"]
    assert environ["SSL_VERSION_LIBRARY"].startswith("OpenSSL 3.")
    # Parsed by cheroot out of str(X509Name) ("<X509Name object '/C=..'>").
    assert environ["SSL_SERVER_S_DN"] == (
        "/C=US/O=pyOpenSSL tests/CN=localhost"
    )
    assert environ["SSL_SERVER_S_DN_CN"] == "localhost"
    assert environ["SSL_SERVER_I_DN_CN"] == "Test CA"
    assert environ["SSL_SERVER_M_VERSION"] == 2
    assert environ["SSL_SERVER_M_SERIAL"] == (
        pem.server.cert.get_serial_number()
    )


def test_keep_alive(cheroot_server, client_context):
    port = cheroot_server()
    conn = http.client.HTTPSConnection(
        "localhost", port, context=client_context, timeout=TIMEOUT
    )
    try:
        conn.connect()
        first_socket = conn.sock
        for i in range(4):
            conn.request("GET", "/n%d" % i)
            response = conn.getresponse()
            assert response.read() == b"hello from cheroot /n%d" % i
        assert conn.sock is first_socket
    finally:
        conn.close()


# cheroot gives accepted connections its timeout (socket.settimeout), so the
# sockets are non-blocking underneath and SSL I/O can raise WantReadError /
# WantWriteError. cheroot retries those around recv/readline/send/sendall,
# but not where io.BufferedReader/BufferedWriter call recv_into()/send()
# (request bodies, large responses): there, a transfer that outruns the
# socket buffers fails inside cheroot now and then, with the cffi
# pyOpenSSL 26.4 exactly as here. Large transfers therefore run on a
# server configured with timeout=None (blocking sockets: SSL_read and
# SSL_write wait, with the GIL released).


def test_small_upload_non_blocking(cheroot_server, client_context):
    # One TLS record with the headers: read from the buffer, no retries.
    body = BIG_BODY[:12000]
    port = cheroot_server()
    status, reply = get(port, client_context, "/upload", "POST", body)
    assert status == 200
    assert json.loads(reply) == {
        "length": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    assert get(port, client_context, "/after")[0] == 200


def test_large_upload_and_download_blocking(cheroot_server, client_context):
    port = cheroot_server(blocking=True)
    status, reply = get(port, client_context, "/upload", "POST", BIG_BODY)
    assert status == 200
    assert json.loads(reply) == {
        "length": len(BIG_BODY),
        "sha256": hashlib.sha256(BIG_BODY).hexdigest(),
    }
    status, body = get(port, client_context, "/big")
    assert status == 200
    assert body == BIG_BODY


def test_encrypted_private_key(cheroot_server, client_context, pem):
    # cheroot's passphrase callback takes (max_length, verify_twice,
    # userdata) with userdata = the password given to set_passwd_cb.
    port = cheroot_server(
        private_key=pem.server.encrypted_key_path,
        private_key_password=pem.server.password.decode(),
    )
    status, body = get(port, client_context, "/secret")
    assert (status, body) == (200, b"hello from cheroot /secret")


def test_untrusting_client_fails_and_server_survives(
    cheroot_server, client_context, pem
):
    port = cheroot_server()
    stranger = ssl.create_default_context(cafile=pem.rogue_ca.cert_path)
    with pytest.raises(ssl.SSLCertVerificationError):
        get(port, stranger, "/")
    assert get(port, client_context, "/after")[1] == (
        b"hello from cheroot /after"
    )


def test_plain_http_on_https_port(cheroot_server, client_context):
    # OpenSSL rejects the plain request with reason 'http request'; cheroot
    # spots that in Error.args[0][0][2] and answers 400 in clear text
    # through the accepted Connection's _socket.
    port = cheroot_server()
    plain = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        plain.request("GET", "/")
        response = plain.getresponse()
        assert response.status == 400
        assert b"plain HTTP request" in response.read()
    finally:
        plain.close()
    assert get(port, client_context, "/still")[0] == 200


def test_client_hangs_up_mid_handshake(cheroot_server, client_context):
    port = cheroot_server()
    with socket.create_connection(("127.0.0.1", port), TIMEOUT) as sock:
        sock.sendall(b"\x16\x03\x01\x00\x05\x01\x00")  # a truncated hello
    assert get(port, client_context, "/still")[0] == 200
