"""
ALPN (API.md 1.5, 1.6 and the ALPN row of 2.3): the client's protocol
list on a Context or a Connection, the server's select callback and what
each of its answers does to the handshake.
"""

import pytest

from OpenSSL import SSL

from ssl26helpers import (
    client_context,
    connected_pair,
    connected_socket_pair,
    handshake,
    memory_pair,
    server_context,
    socket_handshake,
    socket_pair,
)

OFFER = [b"h2", b"http/1.1"]


class Boom(Exception):
    pass


def alpn_pair(server, select, offer=OFFER, on_connection=False):
    """A memory-BIO pair whose server selects with `select` and whose client
    offers `offer` (on its Context, or on the Connection)."""
    sctx = server_context(server)
    sctx.set_alpn_select_callback(select)
    cctx = client_context()
    if not on_connection:
        cctx.set_alpn_protos(offer)
    s, c = memory_pair(sctx, cctx)
    if on_connection:
        c.set_alpn_protos(offer)
    return s, c


# ---------------------------------------------------------------------------
# Negotiation
# ---------------------------------------------------------------------------


def test_select_callback_chooses(server):
    calls = []

    def select(conn, offered):
        calls.append((conn, offered))
        return b"http/1.1"

    s, c = alpn_pair(server, select)
    handshake(s, c)
    assert calls == [(s, OFFER)]
    assert s.get_alpn_proto_negotiated() == b"http/1.1"
    assert c.get_alpn_proto_negotiated() == b"http/1.1"


def test_protocols_set_on_connection(server):
    s, c = alpn_pair(server, lambda conn, offered: offered[0],
                     offer=[b"spdy/2", b"h2"], on_connection=True)
    handshake(s, c)
    assert c.get_alpn_proto_negotiated() == b"spdy/2"


def test_connection_protocols_override_context(server):
    sctx = server_context(server)
    sctx.set_alpn_select_callback(lambda conn, offered: offered[-1])
    cctx = client_context()
    cctx.set_alpn_protos([b"from-context"])
    s, c = memory_pair(sctx, cctx)
    c.set_alpn_protos(protos=[b"from-connection"])
    handshake(s, c)
    assert s.get_alpn_proto_negotiated() == b"from-connection"


def test_alpn_over_sockets(server):
    sctx = server_context(server)
    sctx.set_alpn_select_callback(lambda conn, offered: b"h2")
    cctx = client_context()
    cctx.set_alpn_protos(OFFER)
    s, c = connected_socket_pair(sctx, cctx)
    assert c.get_alpn_proto_negotiated() == b"h2"
    assert s.get_alpn_proto_negotiated() == b"h2"


def test_protos_any_iterable(server):
    s, c = alpn_pair(server, lambda conn, offered: offered[1],
                     offer=(p for p in [b"a", b"b" * 255]))
    handshake(s, c)
    assert c.get_alpn_proto_negotiated() == b"b" * 255


def test_nothing_negotiated_is_empty_bytes(server):
    s, c = memory_pair(server_context(server), client_context())
    assert c.get_alpn_proto_negotiated() == b""
    handshake(s, c)
    assert s.get_alpn_proto_negotiated() == b""
    assert c.get_alpn_proto_negotiated() == b""


def test_client_offers_but_server_has_no_callback(server):
    cctx = client_context()
    cctx.set_alpn_protos(OFFER)
    s, c = connected_pair(server_context(server), cctx)
    assert c.get_alpn_proto_negotiated() == b""


def test_server_callback_but_client_offers_nothing(server):
    calls = []
    sctx = server_context(server)
    sctx.set_alpn_select_callback(lambda *a: calls.append(a) or b"h2")
    s, c = connected_pair(sctx, client_context())
    assert calls == []
    assert s.get_alpn_proto_negotiated() == b""


def test_callback_replaced_after_connection_exists(server):
    # Callbacks other than verify/cookies are read when they fire
    # (API.md 3.4): the replacement applies to an existing Connection.
    sctx = server_context(server)
    sctx.set_alpn_select_callback(lambda conn, offered: b"h2")
    cctx = client_context()
    cctx.set_alpn_protos(OFFER)
    s, c = memory_pair(sctx, cctx)
    sctx.set_alpn_select_callback(lambda conn, offered: b"http/1.1")
    handshake(s, c)
    assert c.get_alpn_proto_negotiated() == b"http/1.1"


# ---------------------------------------------------------------------------
# The answers of the select callback (API.md 2.3)
# ---------------------------------------------------------------------------


def test_no_overlapping_protocols_continues_without_alpn(server):
    s, c = alpn_pair(server, lambda conn, o: SSL.NO_OVERLAPPING_PROTOCOLS)
    handshake(s, c)
    assert s.get_alpn_proto_negotiated() == b""
    assert c.get_alpn_proto_negotiated() == b""
    s.send(b"data")
    c.bio_write(s.bio_read(4096))
    assert c.recv(10) == b"data"


def test_empty_selection_fails_the_handshake(server):
    s, c = alpn_pair(server, lambda conn, offered: b"")
    with pytest.raises(SSL.Error) as info:
        handshake(s, c)
    assert ("SSL routines", "", "internal error") in info.value.args[0]


def test_empty_selection_fails_over_sockets(server):
    sctx = server_context(server)
    sctx.set_alpn_select_callback(lambda conn, offered: b"")
    cctx = client_context()
    cctx.set_alpn_protos(OFFER)
    s, c = socket_pair(sctx, cctx)
    with pytest.raises(SSL.Error):
        socket_handshake(s, c)


def test_protocol_not_offered_is_refused_by_client(server):
    s, c = alpn_pair(server, lambda conn, offered: b"spdy/3")
    with pytest.raises(SSL.Error):
        handshake(s, c)


@pytest.mark.parametrize("value", ["h2", None, 1, bytearray(b"h2"), [b"h2"]])
def test_wrong_type_is_type_error_from_io(server, value):
    s, c = alpn_pair(server, lambda conn, offered: value)
    with pytest.raises(TypeError, match="NO_OVERLAPPING_PROTOCOLS"):
        handshake(s, c)


def test_wrong_type_raised_by_server_do_handshake(server):
    s, c = alpn_pair(server, lambda conn, offered: "h2")
    with pytest.raises(SSL.WantReadError):
        c.do_handshake()
    s.bio_write(c.bio_read(65536))
    with pytest.raises(TypeError):
        s.do_handshake()


def test_too_long_selection(server):
    s, c = alpn_pair(server, lambda conn, offered: b"x" * 256)
    with pytest.raises(OverflowError):
        handshake(s, c)


def test_exception_is_reraised_unchanged(server):
    raised = Boom("select")

    def select(conn, offered):
        raise raised

    s, c = alpn_pair(server, select)
    with pytest.raises(SSL.WantReadError):
        c.do_handshake()
    s.bio_write(c.bio_read(65536))
    with pytest.raises(Boom) as info:
        s.do_handshake()
    assert info.value is raised
    assert info.traceback[-1].name == "select"
    # The alert went out; the client fails with a plain Error.
    c.bio_write(s.bio_read(65536))
    with pytest.raises(SSL.Error) as info:
        c.do_handshake()
    assert not isinstance(info.value, Boom)


def test_exception_reraised_over_sockets(server):
    def select(conn, offered):
        raise Boom("select")

    sctx = server_context(server)
    sctx.set_alpn_select_callback(select)
    cctx = client_context()
    cctx.set_alpn_protos(OFFER)
    s, c = socket_pair(sctx, cctx)
    with pytest.raises(Boom):
        socket_handshake(s, c)


def test_base_exception_is_reraised(server):
    class Stop(BaseException):
        pass

    def select(conn, offered):
        raise Stop()

    s, c = alpn_pair(server, select)
    with pytest.raises(Stop):
        handshake(s, c)


def test_exception_raised_once(server):
    def select(conn, offered):
        raise Boom("once")

    s, c = alpn_pair(server, select)
    with pytest.raises(Boom):
        handshake(s, c)
    # A second call does not raise it again.
    with pytest.raises(SSL.Error) as info:
        s.do_handshake()
    assert not isinstance(info.value, Boom)


def test_callback_may_use_connection(server):
    def select(conn, offered):
        conn.set_app_data(offered)
        return offered[0]

    s, c = alpn_pair(server, select)
    handshake(s, c)
    assert s.get_app_data() == OFFER


# ---------------------------------------------------------------------------
# Bad arguments to set_alpn_protos / set_alpn_select_callback
# ---------------------------------------------------------------------------


@pytest.fixture(params=["context", "connection"])
def alpn_target(request):
    ctx = SSL.Context(SSL.TLS_METHOD)
    if request.param == "context":
        return ctx
    return SSL.Connection(ctx, None)


def test_empty_list_is_value_error(alpn_target):
    with pytest.raises(ValueError, match="at least one protocol"):
        alpn_target.set_alpn_protos([])


@pytest.mark.parametrize(
    "protos", [["h2"], [b"h2", "http/1.1"], [1], [None], [bytearray(b"h2")]]
)
def test_non_bytes_is_type_error(alpn_target, protos):
    with pytest.raises(TypeError):
        alpn_target.set_alpn_protos(protos)


@pytest.mark.parametrize("protos", [None, 1, object()])
def test_not_a_list_is_type_error(alpn_target, protos):
    with pytest.raises(TypeError):
        alpn_target.set_alpn_protos(protos)


def test_bytes_is_not_a_list(alpn_target):
    # Iterating b"h2" gives ints.
    with pytest.raises(TypeError):
        alpn_target.set_alpn_protos(b"h2")


def test_empty_protocol_is_error(alpn_target):
    with pytest.raises(SSL.Error) as info:
        alpn_target.set_alpn_protos([b"h2", b""])
    # pyOpenSSL raises Error([]); this one is a ValueError too.
    assert isinstance(info.value, ValueError)
    assert info.value.args == ([],)


def test_too_long_protocol(alpn_target):
    with pytest.raises(ValueError):
        alpn_target.set_alpn_protos([b"x" * 256])
    alpn_target.set_alpn_protos([b"x" * 255])


def test_select_callback_none_removes_it(server):
    sctx = server_context(server)
    sctx.set_alpn_select_callback(lambda conn, offered: b"h2")
    sctx.set_alpn_select_callback(None)
    cctx = client_context()
    cctx.set_alpn_protos(OFFER)
    s, c = connected_pair(sctx, cctx)
    assert c.get_alpn_proto_negotiated() == b""


def test_select_callback_not_callable(server):
    # pyOpenSSL does not check; the failure shows up in the handshake, as a
    # TypeError re-raised from the I/O call.
    s, c = alpn_pair(server, "not callable")
    with pytest.raises(TypeError):
        handshake(s, c)
