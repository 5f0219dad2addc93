"""
pymongo's pyOpenSSL TLS layer, pymongo.pyopenssl_context, without a MongoDB
server: its SSLContext wraps this package's Context (set_options return
value, set_verify(mode, None), load_verify_locations, set_passwd_cb,
use_certificate_chain_file, use_privatekey_file, check_privatekey,
set_ocsp_client_callback) and its _sslConn subclasses SSL.Connection
(attributes set before super().__init__, gettimeout()/fileno() through
socket delegation, select() on the Connection itself, WantReadError
retries, ragged-EOF detection). The peer is a stdlib-ssl echo server on
127.0.0.1.
"""

import socket
import ssl
import threading

import pytest
from pymongo.errors import _CertificateError
from pymongo.pyopenssl_context import PROTOCOL_SSLv23, SSLContext

from OpenSSL import SSL, crypto

import pki

from .support import TIMEOUT, wait_until


class EchoServer:
    """
    Stdlib TLS server: echoes each line; on b"close\\n" closes the TCP
    connection without a TLS close_notify (stdlib close() never sends one).
    """

    def __init__(self, cert_path, key_path, client_ca=None):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert_path, key_path)
        if client_ca:
            self.context.verify_mode = ssl.CERT_REQUIRED
            self.context.load_verify_locations(client_ca)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.errors = []
        self.peers = []
        self.resumed = []
        self.stopping = False
        self.threads = []
        self.accepter = threading.Thread(target=self._accept, name="echo")
        self.accepter.start()

    def _accept(self):
        while not self.stopping:
            try:
                sock, _ = self.listener.accept()
            except socket.timeout:
                continue
            t = threading.Thread(target=self._serve, args=(sock,))
            self.threads.append(t)
            t.start()

    def _serve(self, sock):
        sock.settimeout(TIMEOUT)
        try:
            with self.context.wrap_socket(sock, server_side=True) as tls:
                self.resumed.append(tls.session_reused)
                cert = tls.getpeercert()
                self.peers.append(
                    dict(x[0] for x in cert["subject"]) if cert else None
                )
                buffer = b""
                while True:
                    data = tls.recv(65536)
                    if not data:
                        return
                    buffer += data
                    while b"\n" in buffer:
                        line, buffer = buffer.split(b"\n", 1)
                        if line == b"close":
                            return
                        tls.sendall(line + b"\n")
        except (OSError, ssl.SSLError) as e:
            self.errors.append(e)
        finally:
            sock.close()

    def stop(self):
        self.stopping = True
        self.accepter.join(TIMEOUT)
        for t in self.threads:
            t.join(TIMEOUT)
        self.listener.close()


@pytest.fixture
def echo_server(pem):
    servers = []

    def start(files=None, client_ca=None):
        files = files or pem.server
        server = EchoServer(files.cert_path, files.key_path, client_ca)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def wrap(pem):
    """wrap(server, ctx=None, hostname="localhost") -> pymongo _sslConn."""
    conns = []

    def connect(server, ctx=None, hostname="localhost", session=None):
        if ctx is None:
            ctx = client_context(pem)
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.settimeout(TIMEOUT)  # non-blocking underneath, as pymongo has
        try:
            conn = ctx.wrap_socket(
                sock, server_hostname=hostname, session=session
            )
        except BaseException:
            sock.close()
            raise
        conns.append(conn)
        return conn

    yield connect
    for conn in conns:
        conn.close()


def client_context(pem, cafile=None):
    ctx = SSLContext(PROTOCOL_SSLv23)
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cafile or pem.ca.cert_path)
    return ctx


def read_line(conn):
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_context_wraps_this_package(pem):
    ctx = client_context(pem)
    assert isinstance(ctx._ctx, SSL.Context)
    # set_options returns the resulting mask, which pymongo caches.
    assert ctx.options & SSL.OP_NO_COMPRESSION
    ctx.options = ctx.options | SSL.OP_NO_TICKET
    assert ctx.options & SSL.OP_NO_TICKET
    assert ctx.verify_mode == ssl.CERT_REQUIRED


def test_echo_over_verified_connection(echo_server, wrap):
    server = echo_server()
    conn = wrap(server)
    assert isinstance(conn, SSL.Connection)
    assert conn.gettimeout() == TIMEOUT
    conn.sendall(b"hello mongo\n")
    assert read_line(conn) == b"hello mongo\n"
    # memoryview slices with flags, as pymongo's sendall passes them.
    payload = bytes(range(11, 256)) * 2000 + b"\n"  # one line
    conn.sendall(payload)
    assert read_line(conn) == payload
    peer = conn.get_peer_certificate(as_cryptography=True)
    assert peer.subject.rfc4514_string().startswith("CN=localhost,")
    assert len(conn.get_verified_chain(as_cryptography=True)) == 2


def test_session_resumption(echo_server, wrap, pem):
    # pymongo keeps Connection.get_session() and hands it to set_session()
    # on the next connection made with the same context. Without
    # verification: with it, pymongo also asks for OCSP stapling, and on a
    # resumed session its OCSP callback finds no verified chain and fails
    # the handshake ('invalid status response'), with the cffi pyOpenSSL
    # 26.4 exactly as here.
    server = echo_server()
    ctx = SSLContext(PROTOCOL_SSLv23)
    ctx.verify_mode = ssl.CERT_NONE
    first = wrap(server, ctx)
    first.sendall(b"first\n")
    assert read_line(first) == b"first\n"  # the TLS 1.3 ticket came too
    session = first.get_session()
    assert isinstance(session, SSL.Session)
    second = wrap(server, ctx, session=session)
    second.sendall(b"second\n")
    assert read_line(second) == b"second\n"
    assert server.resumed == [False, True]
    # The resumed session still names the server (service_identity ran on
    # it in wrap_socket, since check_hostname stayed on).
    assert second.get_peer_certificate().get_subject().CN == "localhost"


def test_ip_address_verified(echo_server, wrap):
    conn = wrap(echo_server(), hostname="127.0.0.1")
    conn.sendall(b"by ip\n")
    assert read_line(conn) == b"by ip\n"


def test_hostname_mismatch(echo_server, wrap, pem):
    server = echo_server(pem.wronghost)
    with pytest.raises(_CertificateError) as info:
        wrap(server)
    assert "localhost" in str(info.value)


def test_untrusted_ca(echo_server, wrap, pem):
    server = echo_server(pem.rogue)
    with pytest.raises(SSL.Error) as info:
        wrap(server)
    assert info.value.args[0][-1][2] == "certificate verify failed"


def test_recv_timeout(echo_server, wrap):
    conn = wrap(echo_server())
    conn.settimeout(0.2)
    # WantReadError, select() on the Connection, then pymongo gives up.
    with pytest.raises(TimeoutError):
        conn.recv(10)
    conn.settimeout(TIMEOUT)
    conn.sendall(b"still fine\n")
    assert read_line(conn) == b"still fine\n"


def test_ragged_eof_suppressed(echo_server, wrap):
    conn = wrap(echo_server())
    conn.sendall(b"close\n")
    # The server closed TCP without close_notify: SysCallError(-1,
    # 'Unexpected EOF') inside, which pymongo turns into b"".
    assert conn.recv(10) == b""
    buf = bytearray(10)
    assert conn.recv_into(buf) == 0


def test_client_certificate_with_password(echo_server, wrap, pem):
    server = echo_server(client_ca=pem.ca.cert_path)
    ctx = client_context(pem)
    ctx.load_cert_chain(
        pem.client.cert_path,
        pem.client.encrypted_key_path,
        password=pem.client.password.decode(),
    )
    conn = wrap(server, ctx)
    conn.sendall(b"who am i\n")
    assert read_line(conn) == b"who am i\n"
    assert [p["commonName"] for p in server.peers] == ["client"]


def test_must_staple_without_staple_fails(echo_server, wrap, pem, tmp_path):
    # The OCSP client callback sees b"" (nothing stapled) for a must-staple
    # certificate and returns False: the handshake fails.
    key = pki.make_key()
    cert = pki.make_cert(
        key,
        "localhost",
        (pem.ca.key, pem.ca.cert),
        20,
        san=b"DNS:localhost",
        extensions=[
            crypto.X509Extension(b"tlsfeature", False, b"status_request")
        ],
    )
    files = type(pem.server)()
    files.cert_path = str(tmp_path / "staple.pem")
    files.key_path = str(tmp_path / "staple.key")
    with open(files.cert_path, "wb") as f:
        f.write(crypto.dump_certificate(crypto.FILETYPE_PEM, cert))
    with open(files.key_path, "wb") as f:
        f.write(crypto.dump_privatekey(crypto.FILETYPE_PEM, key))
    server = echo_server(files)
    with pytest.raises(SSL.Error):
        wrap(server)
    assert wait_until(lambda: server.errors)
