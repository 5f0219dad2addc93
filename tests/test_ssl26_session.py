"""
Sessions (API.md 1.6, 1.7, 2.5, 3.2 row 22, 4.1): get_session/set_session,
pinning a Session to the Context it came from, and TLS resumption.

Resumption is observed without any new API: on a resumed handshake the
peer's certificate is not verified again, so the verify callback is not
called.
"""

import gc
import weakref

import pytest

from OpenSSL import SSL

from ssl26helpers import (
    client_context,
    connected_pair,
    handshake,
    memory_pair,
    read_ticket,
    server_context,
)


class Resumption:
    """
    A server Context that requires and verifies client certificates, a
    client Context with a certificate, and a count of the server's verify
    callback calls: a full handshake calls it, a resumed one does not.
    """

    def __init__(self, server, client, ca, max_version=0):
        self.calls = []
        self.sctx = server_context(server)
        self.sctx.set_session_id(b"ssl26-tests")
        self.sctx.get_cert_store().add_cert(ca[1])
        self.sctx.set_verify(
            SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT,
            lambda conn, cert, errnum, depth, ok:
                self.calls.append(depth) or ok,
        )
        self.cctx = server_context(client)
        if max_version:
            self.cctx.set_max_proto_version(max_version)

    def connect(self, session=None, sockets=False):
        """Handshake a new pair (resuming `session` if given); return the
        pair and the number of verify callback calls it made."""
        before = len(self.calls)
        if sockets:
            from ssl26helpers import socket_pair, socket_handshake
            s, c = socket_pair(self.sctx, self.cctx)
            if session is not None:
                c.set_session(session)
            socket_handshake(s, c)
        else:
            s, c = memory_pair(self.sctx, self.cctx)
            if session is not None:
                c.set_session(session)
            handshake(s, c)
        return s, c, len(self.calls) - before


@pytest.fixture
def resumption(server, client, ca):
    return Resumption(server, client, ca)


def test_no_session_before_handshake():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert conn.get_session() is None


def test_get_session_types(server):
    s, c = connected_pair(server_context(server), client_context())
    for conn in (s, c):
        session = conn.get_session()
        assert isinstance(session, SSL.Session)
        assert type(session) is SSL.Session


def test_tls13_resumption_after_reading_ticket(resumption):
    s, c, full = resumption.connect()
    assert full > 0
    read_ticket(s, c)
    session = c.get_session()
    s2, c2, calls = resumption.connect(session)
    assert calls == 0
    assert c2.get_protocol_version_name() == "TLSv1.3"
    # The resumed session still knows the peers' certificates.
    assert s2.get_peer_certificate().get_subject().CN == "client"
    assert c2.get_peer_certificate().get_subject().CN == "localhost"
    s2.send(b"resumed")
    c2.bio_write(s2.bio_read(4096))
    assert c2.recv(100) == b"resumed"


def test_tls13_no_ticket_read_means_full_handshake(resumption):
    # Without recv() the client never saw the ticket: its session cannot
    # be resumed, and the next handshake is a full one.
    s, c, full = resumption.connect()
    session = c.get_session()
    s2, c2, calls = resumption.connect(session)
    assert calls == full


def test_tls13_resumption_over_sockets(resumption):
    s, c, full = resumption.connect(sockets=True)
    assert full > 0
    s.send(b"x")
    from ssl26helpers import recv_all
    assert recv_all(c, 1) == b"x"      # reads the ticket on the way
    session = c.get_session()
    s2, c2, calls = resumption.connect(session, sockets=True)
    assert calls == 0


def test_tls12_resumption(server, client, ca):
    r = Resumption(server, client, ca, max_version=SSL.TLS1_2_VERSION)
    s, c, full = r.connect()
    assert full > 0
    session = c.get_session()
    s2, c2, calls = r.connect(session)
    assert calls == 0
    assert c2.get_protocol_version_name() == "TLSv1.2"


@pytest.mark.parametrize("shutdown", [True, False])
def test_session_survives_its_connection(resumption, shutdown):
    s, c, full = resumption.connect()
    read_ticket(s, c)
    session = c.get_session()
    # OpenSSL marks the session of a connection freed without close_notify
    # as not resumable; the Session get_session() gave is a snapshot that
    # this does not touch (pyOpenSSL's is the connection's own object).
    if shutdown:
        c.shutdown()
    ref = weakref.ref(c)
    del s, c
    gc.collect()
    assert ref() is None
    s2, c2, calls = resumption.connect(session)
    assert calls == 0


@pytest.mark.parametrize("max_version", [0, SSL.TLS1_2_VERSION])
def test_session_object_may_be_reused(server, client, ca, max_version):
    r = Resumption(server, client, ca, max_version=max_version)
    s, c, full = r.connect()
    read_ticket(s, c)
    session = c.get_session()
    del s, c
    gc.collect()
    # OpenSSL updates the session a connection resumes; each resuming
    # connection gets its own copy, so the one Session keeps resuming.
    for _ in range(3):
        s2, c2, calls = r.connect(session)
        assert calls == 0
        del s2, c2


# ---------------------------------------------------------------------------
# Pinning to the Context (26.3+)
# ---------------------------------------------------------------------------


def test_session_from_another_context(server):
    s, c = connected_pair(server_context(server), client_context())
    session = c.get_session()
    other = SSL.Connection(client_context(), None)
    with pytest.raises(ValueError, match="same Context"):
        other.set_session(session)
    # Same Context: fine.
    SSL.Connection(c.get_context(), None).set_session(session)


def test_session_remembers_current_context(server):
    first, second = client_context(), client_context()
    s, c = memory_pair(server_context(server), first)
    c.set_context(second)
    handshake(s, c)
    session = c.get_session()
    SSL.Connection(second, None).set_session(session)
    with pytest.raises(ValueError):
        SSL.Connection(first, None).set_session(session)


def test_server_session_on_client_of_same_context(server):
    ctx = server_context(server)
    s, c = connected_pair(ctx, ctx)
    SSL.Connection(ctx, None).set_session(s.get_session())


# ---------------------------------------------------------------------------
# Bad arguments
# ---------------------------------------------------------------------------


def test_bare_session():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError) as info:
        conn.set_session(SSL.Session())
    assert isinstance(info.value, AttributeError)
    assert str(info.value) == "'Session' object has no attribute '_context'"
    with pytest.raises(AttributeError):
        conn.set_session(session=SSL.Session())


@pytest.mark.parametrize("bad", [None, 1, b"session", object()])
def test_not_a_session(bad):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError, match="session must be a Session"):
        conn.set_session(bad)


def test_session_takes_no_arguments():
    with pytest.raises(TypeError):
        SSL.Session(1)
    with pytest.raises(TypeError):
        SSL.Session(session=None)


def test_session_subclass_and_weakref(server):
    class MySession(SSL.Session):
        pass

    mine = MySession()
    mine.note = "kept"
    assert mine.note == "kept"
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(AttributeError):
        conn.set_session(mine)
    s, c = connected_pair(server_context(server), client_context())
    session = c.get_session()
    ref = weakref.ref(session)
    del session
    gc.collect()
    assert ref() is None


def test_session_subclass_init_with_its_own_arguments():
    # As for pyOpenSSL's Python class: the arguments go to __init__, so a
    # subclass may take its own; Session itself still takes none.
    class LabelledSession(SSL.Session):
        def __init__(self, label, *, origin=None):
            super().__init__()
            self.label = label
            self.origin = origin

    mine = LabelledSession("cache", origin="db")
    assert (type(mine), mine.label, mine.origin) == (
        LabelledSession, "cache", "db")
    with pytest.raises(TypeError, match=r"^Session\(\) takes at most 0"):
        SSL.Session("cache")


def test_set_session_after_handshake(server):
    # OpenSSL takes it (for the next handshake); no crash, no error.
    s, c = connected_pair(server_context(server), client_context())
    c.set_session(c.get_session())


def test_set_session_on_uninitialised_connection(server):
    class Lazy(SSL.Connection):
        def __init__(self):
            pass

    s, c = connected_pair(server_context(server), client_context())
    with pytest.raises(AttributeError):
        Lazy().set_session(c.get_session())
    with pytest.raises(AttributeError):
        Lazy().get_session()
