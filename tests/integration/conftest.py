"""
Fixtures for the integration tests: real downstream programs (Twisted,
urllib3, trustme, service_identity, cheroot, pymongo) running unchanged on
this package, over 127.0.0.1 only.

* `pem`: the session PKI of tests/conftest.py written out as PEM files,
  plus a second, untrusted CA with a server certificate of its own
  ("rogue") and a certificate from our CA for another host name
  ("wronghost").
* `https_server`: a factory of small HTTPS servers built on the standard
  library (http.server + ssl), each in its own thread, all stopped and
  joined at teardown.
* `tls_pair`: a handshake between two OpenSSL.SSL.Connection objects over
  a TCP connection on 127.0.0.1 (server side in a thread).
* An autouse check that a test leaves no thread behind.
"""

import json
import os
import socket
import ssl
import sys
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from OpenSSL import SSL, crypto

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))

import pki  # noqa: E402

from .support import BIG_BODY, TIMEOUT, set_os_timeouts  # noqa: E402


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return str(path)


def _dump_pair(directory, name, pair, password=None):
    key, cert = pair
    files = types.SimpleNamespace()
    files.key = key
    files.cert = cert
    files.cert_path = _write(
        directory / (name + ".pem"),
        crypto.dump_certificate(crypto.FILETYPE_PEM, cert),
    )
    files.key_path = _write(
        directory / (name + ".key"),
        crypto.dump_privatekey(crypto.FILETYPE_PEM, key),
    )
    return files


@pytest.fixture(scope="session")
def pem(ca, server, client, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    ns = types.SimpleNamespace(dir=str(directory))
    ns.ca = _dump_pair(directory, "ca", ca)
    ns.server = _dump_pair(directory, "server", server)
    ns.client = _dump_pair(directory, "client", client)
    # server.pem followed by ca.pem: what use_certificate_chain_file takes.
    ns.server.chain_path = _write(
        directory / "server-chain.pem",
        crypto.dump_certificate(crypto.FILETYPE_PEM, server[1])
        + crypto.dump_certificate(crypto.FILETYPE_PEM, ca[1]),
    )
    # The server and client keys again, encrypted with a passphrase.
    for name in ("server", "client"):
        files = getattr(ns, name)
        files.password = b"correct horse " + name.encode()
        files.encrypted_key_path = _write(
            directory / (name + "-encrypted.key"),
            crypto.dump_privatekey(
                crypto.FILETYPE_PEM, files.key, "aes256", files.password
            ),
        )

    # A CA nobody trusts, and a server certificate (right names) from it.
    rogue_ca_key = pki.make_key()
    rogue_ca_cert = pki.make_cert(rogue_ca_key, "Rogue CA", ca=True)
    ns.rogue_ca = _dump_pair(
        directory, "rogue-ca", (rogue_ca_key, rogue_ca_cert)
    )
    rogue_key = pki.make_key()
    rogue_cert = pki.make_cert(
        rogue_key,
        "localhost",
        (rogue_ca_key, rogue_ca_cert),
        10,
        san=b"DNS:localhost, IP:127.0.0.1",
    )
    ns.rogue = _dump_pair(directory, "rogue", (rogue_key, rogue_cert))

    # A certificate from our CA, but for another host.
    wrong_key = pki.make_key()
    wrong_cert = pki.make_cert(
        wrong_key,
        "wrong.example",
        ca,
        11,
        san=b"DNS:wrong.example, IP:192.0.2.1",
    )
    ns.wronghost = _dump_pair(directory, "wronghost", (wrong_key, wrong_cert))
    return ns


@pytest.fixture(autouse=True)
def no_thread_left_behind():
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        extra = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive()
        ]
        if not extra or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert not extra, "threads left behind: %r" % (extra,)


# ---------------------------------------------------------------------------
# A stdlib HTTPS server
# ---------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = TIMEOUT

    def setup(self):
        # The TLS handshake runs here, in the connection's own thread, so
        # a failing client never blocks the accept loop.
        self.request.settimeout(TIMEOUT)
        try:
            self.request.do_handshake()
        except (ssl.SSLError, OSError) as e:
            self.server.errors.append(e)
            raise
        with self.server.lock:
            self.server.connections += 1
        super().setup()

    def handle(self):
        try:
            super().handle()
        except (ssl.SSLError, OSError) as e:
            self.server.errors.append(e)

    def _reply(self, body, content_type="application/octet-stream"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with self.server.lock:
            self.server.requests += 1
        if self.path == "/big":
            self._reply(BIG_BODY)
        elif self.path == "/slow":
            time.sleep(1)
            self._reply(b"late")
        elif self.path == "/whoami":
            cert = self.request.getpeercert()
            subject = dict(x[0] for x in cert["subject"]) if cert else {}
            self._reply(
                json.dumps({"client_cn": subject.get("commonName")}).encode(),
                "application/json",
            )
        else:
            self._reply(b"hello " + self.path.encode(), "text/plain")

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        data = self.rfile.read(length)
        self._reply(b"%d" % len(data), "text/plain")

    def log_message(self, *args):
        pass


class _TLSHTTPServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True

    def __init__(self, context):
        self.context = context
        self.lock = threading.Lock()
        self.connections = 0
        self.requests = 0
        self.errors = []
        super().__init__(("127.0.0.1", 0), _Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        return (
            self.context.wrap_socket(
                sock, server_side=True, do_handshake_on_connect=False
            ),
            addr,
        )

    def handle_error(self, request, client_address):
        pass


@pytest.fixture
def https_server(pem):
    """
    Call https_server(cert_files=pem.server, client_ca=None) to start a
    server; it has .port, .connections, .requests and .errors.
    """
    started = []

    def start(cert_files=None, client_ca=None):
        cert_files = cert_files or pem.server
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_files.cert_path, cert_files.key_path)
        context.set_alpn_protocols(["http/1.1"])
        if client_ca is not None:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        server = _TLSHTTPServer(context)
        server.port = server.server_address[1]
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="https-server",
        )
        thread.start()
        started.append((server, thread))
        return server

    yield start
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


# ---------------------------------------------------------------------------
# Two OpenSSL.SSL.Connection objects over TCP on 127.0.0.1
# ---------------------------------------------------------------------------


class TLSPair:
    """
    The result of tls_pair(): .server and .client Connections (handshake
    done, or failed with .server_error / .client_error set).
    """

    def __init__(self):
        self.server = self.client = None
        self.server_error = self.client_error = None
        self._sockets = []

    def close(self):
        for conn in (self.server, self.client):
            if conn is not None:
                try:
                    conn.close()
                except Exception:
                    pass
        for sock in self._sockets:
            sock.close()


@pytest.fixture
def tls_pair():
    """
    tls_pair(server_ctx, client_ctx, server_name=b"localhost") connects a
    client Connection to a server Connection over 127.0.0.1 and runs both
    handshakes (the server's in a thread). Exceptions are recorded, not
    raised.
    """
    pairs = []

    def connect(server_ctx, client_ctx, server_name=b"localhost"):
        pair = TLSPair()
        pairs.append(pair)
        listener = socket.create_server(("127.0.0.1", 0))
        pair._sockets.append(listener)
        client_sock = socket.create_connection(listener.getsockname())
        server_sock, _ = listener.accept()
        pair._sockets += [client_sock, server_sock]
        for sock in (client_sock, server_sock):
            set_os_timeouts(sock)

        pair.server = SSL.Connection(server_ctx, server_sock)
        pair.server.set_accept_state()
        pair.client = SSL.Connection(client_ctx, client_sock)
        pair.client.set_connect_state()
        if server_name is not None:
            pair.client.set_tlsext_host_name(server_name)

        def server_side():
            try:
                pair.server.do_handshake()
            except Exception as e:
                pair.server_error = e
                # Let the client see the end of the stream rather than
                # wait for a timeout.
                server_sock.shutdown(socket.SHUT_RDWR)

        thread = threading.Thread(target=server_side, name="tls-pair")
        thread.start()
        try:
            pair.client.do_handshake()
        except Exception as e:
            pair.client_error = e
            client_sock.shutdown(socket.SHUT_RDWR)
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "server handshake hung"
        return pair

    yield connect
    for pair in pairs:
        pair.close()
