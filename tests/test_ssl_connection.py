"""
OpenSSL.SSL.Connection apart from data transfer (API.md 1.6, 3.2 rows 4,
10, 22, 39, 40, 3.3): construction, socket forwarding, state, getters
before and after the handshake, server names, certificates, sessions,
renegotiation, accept/connect. Data transfer and shutdown are in
test_ssl_io.py; callbacks in test_ssl_callbacks.py.
"""

import socket

import pytest

from OpenSSL import SSL, crypto
from sslhelpers import (
    Background,
    assert_queue_empty,
    client_context,
    close_pair,
    handshake_in_memory,
    handshake_pair,
    loopback,
    memory_pair,
    pump,
    require_client_cert,
    server_context,
    socket_pair,
    transfer,
    use_pair,
)


def ctx():
    return SSL.Context(SSL.TLS_METHOD)


# ---------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------


def test_memory_bio_connection():
    conn = SSL.Connection(ctx(), None)
    assert conn._socket is None
    conn = SSL.Connection(ctx())          # socket defaults to None
    assert conn._socket is None
    conn = SSL.Connection(context=ctx(), socket=None)
    assert conn.get_context() is not None


def test_context_must_be_a_context():
    for bad in (None, object(), 1, SSL.Connection):
        with pytest.raises(TypeError) as info:
            SSL.Connection(bad, None)
        assert str(info.value) == "context must be a Context instance"


def test_socket_must_have_fileno():
    # Twisted turns exactly this message into an ImportError.
    for bad in ("not a socket", object(), 1.5, b"x"):
        with pytest.raises(TypeError) as info:
            SSL.Connection(ctx(), bad)
        assert str(info.value) == (
            "argument must be an int, or have a fileno() method."
        )


def test_socket_fileno_result_must_be_an_int():
    class Odd:
        def fileno(self):
            return "3"

    with pytest.raises(TypeError) as info:
        SSL.Connection(ctx(), Odd())
    assert str(info.value) == (
        "argument must be an int, or have a fileno() method."
    )


def test_socket_fileno_exception_propagates():
    class Broken:
        def fileno(self):
            raise OSError("no fd")

    with pytest.raises(OSError):
        SSL.Connection(ctx(), Broken())


def test_negative_file_descriptor():
    with pytest.raises(ValueError) as info:
        SSL.Connection(ctx(), -1)
    assert str(info.value) == (
        "file descriptor cannot be a negative integer (-1)"
    )
    sock = socket.socket()
    sock.close()
    with pytest.raises(ValueError):
        SSL.Connection(ctx(), sock)     # a closed socket's fileno() is -1


def test_int_file_descriptor():
    a, b = socket.socketpair()
    try:
        conn = SSL.Connection(ctx(), a.fileno())
        assert conn._socket == a.fileno()
        with pytest.raises(AttributeError):
            conn.getsockname     # an int has no such attribute
    finally:
        a.close()
        b.close()


def test_uninitialised_connection():
    conn = SSL.Connection.__new__(SSL.Connection)
    with pytest.raises(AttributeError):
        conn.get_context()
    with pytest.raises(AttributeError):
        conn.do_handshake()


def test_init_twice_is_refused():
    conn = SSL.Connection(ctx(), None)
    with pytest.raises(TypeError):
        conn.__init__(ctx(), None)


# ---------------------------------------------------------------------------
# Socket forwarding
# ---------------------------------------------------------------------------


def test_attribute_fallback_to_socket():
    sock = socket.socket()
    try:
        conn = SSL.Connection(ctx(), sock)
        assert conn._socket is sock
        assert conn.fileno() == sock.fileno()
        assert conn.family == socket.AF_INET
        conn.settimeout(2.5)
        assert conn.gettimeout() == 2.5
        assert sock.gettimeout() == 2.5
        conn.setblocking(False)
        assert sock.gettimeout() == 0.0
        conn.bind(("127.0.0.1", 0))
        assert conn.getsockname()[0] == "127.0.0.1"
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        assert conn.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
        with pytest.raises(AttributeError) as info:
            conn.no_such_attribute
        assert "no_such_attribute" in str(info.value)
    finally:
        sock.close()


def test_attribute_fallback_without_socket():
    # row 39
    conn = SSL.Connection(ctx(), None)
    with pytest.raises(AttributeError) as info:
        conn.fileno
    assert info.value.args == ("'Connection' object has no attribute "
                               "'fileno'",)
    with pytest.raises(AttributeError) as info:
        conn.recv_foo
    assert str(info.value) == (
        "'Connection' object has no attribute 'recv_foo'"
    )
    assert not hasattr(conn, "close")


def test_attribute_fallback_names_the_subclass():
    class Mine(SSL.Connection):
        pass

    with pytest.raises(AttributeError) as info:
        Mine(ctx(), None).fileno
    assert str(info.value) == "'Mine' object has no attribute 'fileno'"


def test_own_attributes_win_over_the_socket():
    sock = socket.socket()
    try:
        conn = SSL.Connection(ctx(), sock)
        assert conn.shutdown != sock.shutdown
        assert conn.recv.__name__ == "recv"
        conn.note = "mine"
        assert conn.note == "mine"
        assert not hasattr(sock, "note")
    finally:
        sock.close()


def test_select_on_a_connection(ca, server):
    server_conn, client_conn = loopback(server_context(server),
                                        client_context(ca))
    import select

    client_conn.send(b"x")
    r, _, _ = select.select([server_conn], [], [], 10)
    assert r == [server_conn]
    close_pair(server_conn, client_conn)


def test_pymongo_style_subclass(ca, server):
    """pymongo subclasses Connection, sets attributes before
    super().__init__, and uses socket methods through the Connection."""

    class PyMongoConnection(SSL.Connection):
        def __init__(self, context, sock, suppress_ragged_eofs):
            self.socket_checker = object()
            self.suppress_ragged_eofs = suppress_ragged_eofs
            super().__init__(context, sock)

        def _is_blocking(self):
            return self.gettimeout() is None

        def recv(self, *args, **kwargs):
            try:
                return super().recv(*args, **kwargs)
            except SSL.SysCallError as exc:
                if self.suppress_ragged_eofs and exc.args[:2] == (
                    -1, "Unexpected EOF"
                ):
                    return b""
                raise

        def sendall(self, buf, flags=0):
            view = memoryview(buf)
            total = 0
            while total < len(buf):
                total += self.send(view[total:], flags)
            return total

    server_sock, client_sock = socket_pair()
    server_conn = SSL.Connection(server_context(server), server_sock)
    server_conn.set_accept_state()
    conn = PyMongoConnection(client_context(ca), client_sock, True)
    conn.set_connect_state()
    bg = Background(server_conn.do_handshake)
    conn.do_handshake()
    bg.result()
    assert conn._is_blocking()
    assert conn.fileno() == client_sock.fileno()
    assert conn.sendall(b"hello mongo") == 11
    assert server_conn.recv(100) == b"hello mongo"
    server_sock.shutdown(socket.SHUT_WR)     # no close_notify
    assert conn.recv(100) == b""
    server_sock.close()
    client_sock.close()


# ---------------------------------------------------------------------------
# Simple methods
# ---------------------------------------------------------------------------


def test_makefile():
    conn = SSL.Connection(ctx(), socket.socket())
    with pytest.raises(NotImplementedError) as info:
        conn.makefile()
    assert str(info.value) == (
        "Cannot make file object of OpenSSL.SSL.Connection"
    )
    with pytest.raises(NotImplementedError):
        conn.makefile("rb", buffering=0)
    conn._socket.close()


def test_shutdown_takes_no_arguments():
    # eventlet and socketserver pass one; acme catches the TypeError.
    conn = SSL.Connection(ctx(), None)
    with pytest.raises(TypeError):
        conn.shutdown(socket.SHUT_RDWR)
    with pytest.raises(TypeError):
        conn.shutdown(how=1)


def test_app_data():
    conn = SSL.Connection(ctx(), None)
    assert conn.get_app_data() is None
    marker = object()
    assert conn.set_app_data(marker) is None
    assert conn.get_app_data() is marker
    conn.set_app_data(data=1)
    assert conn.get_app_data() == 1


def test_get_set_context():
    first, second = ctx(), ctx()
    conn = SSL.Connection(first, None)
    assert conn.get_context() is first
    assert conn.set_context(second) is None
    assert conn.get_context() is second
    conn.set_context(context=first)
    assert conn.get_context() is first
    for bad in (None, 1, conn):
        with pytest.raises(TypeError) as info:
            conn.set_context(bad)
        assert str(info.value) == "context must be a Context instance"
    assert conn.get_context() is first


def test_states_and_strings():
    conn = SSL.Connection(ctx(), None)
    assert conn.get_state_string() == b"before SSL initialization"
    assert conn.state_string() == "before SSL initialization"
    conn.set_connect_state()
    with pytest.raises(SSL.WantReadError):
        conn.do_handshake()
    assert conn.get_state_string() == b"SSLv3/TLS write client hello"
    assert conn.state_string() == "SSLv3/TLS write client hello"


def test_state_strings_after_handshake(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    for conn in (server_conn, client_conn):
        assert type(conn.get_state_string()) is bytes
        assert type(conn.state_string()) is str
        assert conn.get_state_string() == (
            b"SSL negotiation finished successfully"
        )
        assert conn.state_string() == conn.get_state_string().decode()


def test_want_read_want_write():
    conn = SSL.Connection(ctx(), None)
    assert conn.want_read() == 0
    assert conn.want_write() == 0
    assert type(conn.want_read()) is int
    conn.set_connect_state()
    with pytest.raises(SSL.WantReadError):
        conn.do_handshake()
    assert conn.want_read() == 1
    assert type(conn.want_write()) is int


def test_shutdown_state_bits():
    conn = SSL.Connection(ctx(), None)
    assert conn.get_shutdown() == 0
    conn.set_shutdown(SSL.SENT_SHUTDOWN)
    assert conn.get_shutdown() == SSL.SENT_SHUTDOWN
    conn.set_shutdown(state=SSL.SENT_SHUTDOWN | SSL.RECEIVED_SHUTDOWN)
    assert conn.get_shutdown() == 3
    for bad in ("1", None, 1.0):
        with pytest.raises(TypeError) as info:
            conn.set_shutdown(bad)
        assert str(info.value) == "state must be an integer"


def test_getters_before_the_handshake():
    conn = SSL.Connection(ctx(), None)
    assert conn.client_random() is None
    assert conn.server_random() is None
    assert conn.master_key() is None
    assert conn.get_finished() is None
    assert conn.get_peer_finished() is None
    assert conn.get_peer_certificate() is None
    assert conn.get_peer_cert_chain() is None
    assert conn.get_verified_chain() is None
    assert conn.get_certificate() is None
    assert conn.get_client_ca_list() == []
    assert conn.get_session() is None
    assert conn.get_servername() is None
    assert conn.get_cipher_name() is None
    assert conn.get_cipher_bits() is None
    assert conn.get_cipher_version() is None
    assert conn.pending() == 0
    assert conn.renegotiate_pending() is False
    assert conn.total_renegotiations() == 0
    # OpenSSL's provisional answer
    assert conn.get_protocol_version_name() == "TLSv1.3"
    assert conn.get_protocol_version() == 0x304
    assert_queue_empty()


def test_get_cipher_list():
    names = SSL.Connection(ctx(), None).get_cipher_list()
    assert type(names) is list
    assert names and all(type(n) is str for n in names)
    assert "TLS_AES_256_GCM_SHA384" in names


def test_handshake_values(ca, server):
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    server_conn, client_conn = handshake_pair(sctx, client_context(ca))
    for conn in (server_conn, client_conn):
        assert len(conn.client_random()) == 32
        assert len(conn.server_random()) == 32
        assert len(conn.master_key()) == 48
        assert type(conn.get_finished()) is bytes
        assert type(conn.get_cipher_name()) is str
        assert type(conn.get_cipher_bits()) is int
        assert conn.get_cipher_version() == "TLSv1.2"
    assert client_conn.client_random() == server_conn.client_random()
    assert client_conn.server_random() == server_conn.server_random()
    assert client_conn.client_random() != client_conn.server_random()
    assert client_conn.master_key() == server_conn.master_key()
    assert client_conn.get_finished() == server_conn.get_peer_finished()
    assert server_conn.get_finished() == client_conn.get_peer_finished()
    assert client_conn.get_finished() != server_conn.get_finished()


def test_master_key_tls13(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    # OpenSSL has no master key for a TLS 1.3 session
    with pytest.raises(SSL.Error) as info:
        client_conn.master_key()
    assert info.value.args == ([],)
    assert len(client_conn.client_random()) == 32


def test_export_keying_material(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    a = client_conn.export_keying_material(b"EXPORTER-test", 32)
    assert len(a) == 32
    assert a == server_conn.export_keying_material(b"EXPORTER-test", 32)
    b = client_conn.export_keying_material(b"EXPORTER-test", 32, b"ctx")
    assert b != a


# ---------------------------------------------------------------------------
# Server names (row 40)
# ---------------------------------------------------------------------------


def test_server_name(ca, server):
    server_conn, client_conn = memory_pair(server_context(server),
                                           client_context(ca))
    assert client_conn.set_tlsext_host_name(b"localhost") is None
    assert client_conn.get_servername() == b"localhost"
    assert server_conn.get_servername() is None
    handshake_in_memory(client_conn, server_conn)
    assert server_conn.get_servername() == b"localhost"
    assert type(server_conn.get_servername()) is bytes


def test_no_server_name(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    assert server_conn.get_servername() is None
    assert client_conn.get_servername() is None


@pytest.mark.parametrize(
    "bad,message",
    [
        ("localhost", "name must be a byte string"),
        (None, "name must be a byte string"),
        (bytearray(b"localhost"), "name must be a byte string"),
        (b"local\0host", "name must not contain NUL byte"),
        (b"\0", "name must not contain NUL byte"),
    ],
)
def test_set_tlsext_host_name_types(bad, message):
    conn = SSL.Connection(ctx(), None)
    with pytest.raises(TypeError) as info:
        conn.set_tlsext_host_name(bad)
    assert str(info.value) == message
    assert conn.get_servername() is None


def test_set_tlsext_host_name_too_long():
    # OpenSSL refuses names over 255 bytes; pyOpenSSL ignores the failure
    # (and leaves it on the error queue), this reports it.
    conn = SSL.Connection(ctx(), None)
    with pytest.raises(SSL.Error):
        conn.set_tlsext_host_name(b"x" * 300)
    assert_queue_empty()


# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------


def test_peer_certificates(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    peer = client_conn.get_peer_certificate()
    assert isinstance(peer, crypto.X509)
    assert peer.get_subject().CN == "localhost"
    assert peer.digest("sha256") == server[1].digest("sha256")
    # On a client the chain includes the server's own certificate.
    chain = client_conn.get_peer_cert_chain()
    assert type(chain) is list
    assert [c.get_subject().CN for c in chain] == ["localhost"]
    assert [c.get_subject().CN for c in
            client_conn.get_verified_chain()] == ["localhost", "Test CA"]
    assert server_conn.get_peer_certificate() is None
    assert server_conn.get_peer_cert_chain() is None
    assert server_conn.get_certificate().get_subject().CN == "localhost"
    assert client_conn.get_certificate() is None


def test_peer_certificates_with_client_cert(ca, server, client):
    sctx = require_client_cert(server_context(server), ca)
    sctx.add_client_ca(ca[1])
    cctx = use_pair(client_context(ca), client)
    server_conn, client_conn = handshake_pair(sctx, cctx)
    assert server_conn.get_peer_certificate().get_subject().CN == "client"
    # On a server the chain excludes the client's certificate (the client
    # sent its CA too: OpenSSL builds the chain from its store).
    assert [c.get_subject().CN for c in
            server_conn.get_peer_cert_chain()] == ["Test CA"]
    assert [c.get_subject().CN for c in
            server_conn.get_verified_chain()] == ["client", "Test CA"]
    assert client_conn.get_certificate().get_subject().CN == "client"
    assert [n.CN for n in client_conn.get_client_ca_list()] == ["Test CA"]
    assert [n.CN for n in server_conn.get_client_ca_list()] == ["Test CA"]


def test_peer_certificate_outlives_connection(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    peer = client_conn.get_peer_certificate()
    chain = client_conn.get_peer_cert_chain()
    del server_conn, client_conn
    import gc
    gc.collect()
    assert peer.get_subject().CN == "localhost"
    assert chain[0].get_issuer().CN == "Test CA"


def test_connection_use_certificate_and_key(ca, server):
    # no certificate on the Context: this connection brings its own
    server_conn = SSL.Connection(ctx(), None)
    server_conn.use_certificate(server[1])
    server_conn.use_privatekey(server[0])
    server_conn.set_accept_state()
    client_conn = SSL.Connection(client_context(ca), None)
    client_conn.set_connect_state()
    handshake_in_memory(client_conn, server_conn)
    assert client_conn.get_peer_certificate().get_subject().CN == "localhost"
    with pytest.raises(TypeError):
        server_conn.use_certificate(server[0])
    with pytest.raises(TypeError):
        server_conn.use_privatekey(server[1])


def test_connection_set_verify(ca, server):
    cctx = SSL.Context(SSL.TLS_METHOD)
    cctx.get_cert_store().add_cert(ca[1])
    conn = SSL.Connection(cctx, None)
    assert conn.get_verify_mode() == SSL.VERIFY_NONE
    conn.set_verify(SSL.VERIFY_PEER)
    assert conn.get_verify_mode() == SSL.VERIFY_PEER
    assert cctx.get_verify_mode() == SSL.VERIFY_NONE
    with pytest.raises(TypeError) as info:
        conn.set_verify("1")
    assert str(info.value) == "mode must be an integer"
    with pytest.raises(TypeError) as info:
        conn.set_verify(SSL.VERIFY_PEER, 1)
    assert str(info.value) == "callback must be callable"


def test_connection_set_verify_overrides_context(ca, server):
    # The Context verifies nothing; this Connection does, and fails on an
    # untrusted server.
    untrusting = SSL.Context(SSL.TLS_METHOD)
    server_conn, client_conn = memory_pair(server_context(server),
                                           untrusting)
    client_conn.set_verify(SSL.VERIFY_PEER)
    with pytest.raises(SSL.Error) as info:
        handshake_in_memory(client_conn, server_conn)
    assert info.value.args[0][-1][2] == "certificate verify failed"
    # and the other way round
    server_conn, client_conn = memory_pair(server_context(server),
                                           client_context(server))
    client_conn.set_verify(SSL.VERIFY_NONE)
    handshake_in_memory(client_conn, server_conn)


# ---------------------------------------------------------------------------
# Sessions (row 22)
# ---------------------------------------------------------------------------


def test_session_round_trip(ca, server):
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    calls = []
    cctx = client_context(ca, callback=lambda *a: calls.append(1) or True)
    server_conn, client_conn = handshake_pair(sctx, cctx)
    session = client_conn.get_session()
    assert type(session) is SSL.Session
    assert isinstance(server_conn.get_session(), SSL.Session)
    # keep the first pair alive: OpenSSL drops the session of a
    # connection freed without a shutdown
    del calls[:]
    server2, client2 = memory_pair(sctx, cctx)
    assert client2.set_session(session) is None
    handshake_in_memory(client2, server2)
    assert calls == []      # resumed: no certificate to verify
    assert transfer(client2, server2, b"resumed") == b"resumed"


def test_set_session_from_another_context(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    session = client_conn.get_session()
    other = SSL.Connection(client_context(ca), None)
    with pytest.raises(ValueError):
        other.set_session(session)
    # the same Context is fine, whichever Connection
    SSL.Connection(client_conn.get_context(), None).set_session(session)


def test_set_session_bare_session(ca):
    conn = SSL.Connection(client_context(ca), None)
    with pytest.raises(TypeError) as info:
        conn.set_session(SSL.Session())
    assert isinstance(info.value, AttributeError)
    with pytest.raises(AttributeError):
        conn.set_session(SSL.Session())


@pytest.mark.parametrize("bad", [None, 1, object(), b"session"])
def test_set_session_type(bad):
    conn = SSL.Connection(ctx(), None)
    with pytest.raises(TypeError) as info:
        conn.set_session(bad)
    assert str(info.value) == "session must be a Session instance"


def test_session_keeps_its_context_alive(ca, server):
    import gc
    import weakref

    cctx = client_context(ca)
    ref = weakref.ref(cctx)
    server_conn, client_conn = handshake_pair(server_context(server), cctx)
    session = client_conn.get_session()
    del cctx, server_conn, client_conn
    gc.collect()
    assert ref() is not None
    SSL.Connection(ref(), None).set_session(session)
    del session
    gc.collect()
    assert ref() is None


# ---------------------------------------------------------------------------
# Renegotiation (TLS 1.2)
# ---------------------------------------------------------------------------


def test_server_initiated_renegotiation(ca, server):
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    server_conn, client_conn = handshake_pair(sctx, client_context(ca))
    assert server_conn.total_renegotiations() == 0
    assert server_conn.renegotiate_pending() is False
    assert server_conn.renegotiate() is True
    assert server_conn.renegotiate() is False     # already pending
    assert server_conn.renegotiate_pending() is True
    server_conn.do_handshake()                    # sends HelloRequest
    # The client answers while reading; the server finishes while reading.
    for _ in range(10):
        pump(server_conn, client_conn)
        for conn in (client_conn, server_conn):
            try:
                conn.recv(1024)
            except SSL.WantReadError:
                pass
        if not server_conn.renegotiate_pending():
            break
    assert server_conn.renegotiate_pending() is False
    assert server_conn.total_renegotiations() == 1
    assert client_conn.total_renegotiations() == 1
    assert transfer(client_conn, server_conn, b"after") == b"after"
    assert transfer(server_conn, client_conn, b"again") == b"again"


def test_client_initiated_renegotiation_is_refused(ca, server):
    # OpenSSL 3 servers refuse it by default (DOWNSTREAM 2).
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    server_conn, client_conn = handshake_pair(sctx, client_context(ca))
    assert client_conn.renegotiate() is True
    with pytest.raises(SSL.WantReadError):
        client_conn.do_handshake()
    pump(server_conn, client_conn)
    with pytest.raises(SSL.WantReadError):
        server_conn.recv(10)
    pump(server_conn, client_conn)
    with pytest.raises(SSL.Error) as info:
        client_conn.do_handshake()
    assert info.value.args == ([("SSL routines", "", "no renegotiation")],)
    assert_queue_empty()


def test_renegotiate_tls13(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    for conn in (server_conn, client_conn):
        with pytest.raises(SSL.Error) as info:
            conn.renegotiate()
        assert info.value.args == (
            [("SSL routines", "", "wrong ssl version")],
        )
        assert conn.renegotiate_pending() is False
    assert_queue_empty()


# ---------------------------------------------------------------------------
# accept, connect, connect_ex
# ---------------------------------------------------------------------------


def test_accept_and_connect(ca, server):
    listener = SSL.Connection(server_context(server), socket.socket())
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    address = listener.getsockname()
    client_conn = SSL.Connection(client_context(ca), socket.socket())
    assert client_conn.connect(address) is None
    accepted, peer_address = listener.accept()
    assert isinstance(accepted, SSL.Connection)
    assert type(accepted) is SSL.Connection
    assert accepted.get_context() is listener.get_context()
    assert peer_address == client_conn.getsockname()
    # accept() put it in server mode, connect() the client in client mode
    bg = Background(accepted.do_handshake)
    client_conn.do_handshake()
    bg.result()
    client_conn.sendall(b"hi")
    assert accepted.recv(2) == b"hi"
    for conn in (listener, accepted, client_conn):
        conn.close()


def test_connect_ex(ca, server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client_conn = SSL.Connection(client_context(ca), socket.socket())
    assert client_conn.connect_ex(listener.getsockname()) == 0
    sock, _ = listener.accept()
    server_conn = SSL.Connection(server_context(server), sock)
    server_conn.set_accept_state()
    bg = Background(server_conn.do_handshake)
    client_conn.do_handshake()
    bg.result()
    listener.close()
    sock.close()
    client_conn.close()


def test_connect_ex_refused(ca):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    address = listener.getsockname()
    listener.close()                       # nobody listens there now
    conn = SSL.Connection(client_context(ca), socket.socket())
    assert conn.connect_ex(address) != 0
    with pytest.raises(OSError):
        SSL.Connection(client_context(ca), socket.socket()).connect(address)
    conn.close()


@pytest.mark.parametrize("method,args", [
    ("connect", (("127.0.0.1", 1),)),
    ("connect_ex", (("127.0.0.1", 1),)),
    ("accept", ()),
    ("sock_shutdown", (socket.SHUT_RDWR,)),
])
def test_socket_methods_without_socket(method, args):
    conn = SSL.Connection(ctx(), None)
    with pytest.raises(AttributeError) as info:
        getattr(conn, method)(*args)
    name = "shutdown" if method == "sock_shutdown" else method
    assert str(info.value) == (
        "'NoneType' object has no attribute '%s'" % name
    )


def test_sock_shutdown(ca, server):
    server_conn, client_conn = loopback(server_context(server),
                                        client_context(ca))
    assert client_conn.sock_shutdown(socket.SHUT_WR) is None
    import select

    select.select([server_conn], [], [], 10)
    with pytest.raises(SSL.SysCallError) as info:
        server_conn.recv(10)
    assert info.value.args == (-1, "Unexpected EOF")
    close_pair(server_conn, client_conn)


def test_private_attributes(ca, server):
    sock = socket.socket()
    conn = SSL.Connection(ctx(), sock)
    assert conn._socket is sock        # cheroot
    assert conn._ssl is not None
    sock.close()
