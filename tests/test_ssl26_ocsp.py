"""
OCSP stapling (API.md 1.5, 1.6 and the OCSP rows of 2.3): the server
callback provides the response to staple, the client callback judges it;
both share one slot on a Context.
"""

import pytest

from OpenSSL import SSL

from ssl26helpers import (
    client_context,
    handshake,
    memory_pair,
    server_context,
    socket_handshake,
    socket_pair,
)

RESPONSE = b"\x30\x03\x0a\x01\x00 a stapled OCSP response"


class Boom(Exception):
    pass


def ocsp_pair(server, server_cb=None, client_cb=None, request=True,
              server_data=None, client_data=None):
    sctx = server_context(server)
    if server_cb is not None:
        sctx.set_ocsp_server_callback(server_cb, server_data)
    cctx = client_context()
    if client_cb is not None:
        cctx.set_ocsp_client_callback(client_cb, client_data)
    s, c = memory_pair(sctx, cctx)
    if request:
        c.request_ocsp()
    return s, c


def test_staple_reaches_client(server):
    seen = []

    def server_cb(conn, data):
        seen.append(("server", conn, data))
        return RESPONSE

    def client_cb(conn, ocsp, data):
        seen.append(("client", conn, ocsp, data))
        return True

    s, c = ocsp_pair(server, server_cb, client_cb,
                     server_data="sd", client_data={"k": 1})
    handshake(s, c)
    assert seen == [
        ("server", s, "sd"),
        ("client", c, RESPONSE, {"k": 1}),
    ]


def test_data_defaults_to_none_and_keyword(server):
    seen = []
    sctx = server_context(server)
    sctx.set_ocsp_server_callback(
        callback=lambda conn, data: seen.append(data) or RESPONSE)
    cctx = client_context()
    cctx.set_ocsp_client_callback(
        callback=lambda conn, ocsp, data: seen.append(data) or True,
        data=None)
    s, c = memory_pair(sctx, cctx)
    c.request_ocsp()
    handshake(s, c)
    assert seen == [None, None]


def test_data_object_is_the_same_object(server):
    marker = object()
    seen = []
    s, c = ocsp_pair(server, lambda conn, d: seen.append(d) or RESPONSE,
                     lambda conn, o, d: seen.append(d) or True,
                     server_data=marker, client_data=marker)
    handshake(s, c)
    assert seen[0] is marker and seen[1] is marker


def test_empty_response_staples_nothing(server):
    got = []
    s, c = ocsp_pair(server, lambda conn, d: b"",
                     lambda conn, ocsp, d: got.append(ocsp) or True)
    handshake(s, c)
    assert got == [b""]


def test_client_gets_empty_bytes_without_server_callback(server):
    got = []
    s, c = ocsp_pair(server, None,
                     lambda conn, ocsp, d: got.append(ocsp) or True)
    handshake(s, c)
    assert got == [b""]


def test_no_request_no_callbacks(server):
    calls = []
    s, c = ocsp_pair(server, lambda *a: calls.append(a) or RESPONSE,
                     lambda *a: calls.append(a) or True, request=False)
    handshake(s, c)
    assert calls == []


def test_over_sockets(server):
    got = []
    sctx = server_context(server)
    sctx.set_ocsp_server_callback(lambda conn, d: RESPONSE)
    cctx = client_context()
    cctx.set_ocsp_client_callback(
        lambda conn, ocsp, d: got.append(ocsp) or True)
    s, c = socket_pair(sctx, cctx)
    c.request_ocsp()
    socket_handshake(s, c)
    assert got == [RESPONSE]


def test_tls12(server):
    got = []
    s, c = ocsp_pair(server, lambda conn, d: RESPONSE,
                     lambda conn, ocsp, d: got.append(ocsp) or 1)
    c.set_options(SSL.OP_NO_TLSv1_3)
    handshake(s, c)
    assert got == [RESPONSE]
    assert c.get_protocol_version_name() == "TLSv1.2"


# ---------------------------------------------------------------------------
# Client verdicts and exceptions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("verdict", [False, 0, None, b"", []])
def test_falsy_client_verdict_fails(server, verdict):
    s, c = ocsp_pair(server, lambda conn, d: RESPONSE,
                     lambda conn, ocsp, d: verdict)
    with pytest.raises(SSL.Error) as info:
        handshake(s, c)
    assert ("SSL routines", "", "invalid status response") in (
        info.value.args[0]
    )


@pytest.mark.parametrize("verdict", [True, 1, b"x", "yes", [0]])
def test_truthy_client_verdict_accepts(server, verdict):
    s, c = ocsp_pair(server, lambda conn, d: RESPONSE,
                     lambda conn, ocsp, d: verdict)
    handshake(s, c)


def test_client_exception_reraised(server):
    raised = Boom("client")

    def client_cb(conn, ocsp, data):
        raise raised

    s, c = ocsp_pair(server, lambda conn, d: RESPONSE, client_cb)
    with pytest.raises(Boom) as info:
        handshake(s, c)
    assert info.value is raised


def test_client_exception_from_client_io_call(server):
    def client_cb(conn, ocsp, data):
        raise Boom("client")

    s, c = ocsp_pair(server, lambda conn, d: RESPONSE, client_cb)
    with pytest.raises(SSL.WantReadError):
        c.do_handshake()
    s.bio_write(c.bio_read(65536))
    with pytest.raises(SSL.WantReadError):
        s.do_handshake()
    c.bio_write(s.bio_read(65536))
    with pytest.raises(Boom):
        c.do_handshake()


def test_client_verdict_with_bad_truth_value(server):
    class Bad:
        def __bool__(self):
            raise Boom("bool")

    s, c = ocsp_pair(server, lambda conn, d: RESPONSE,
                     lambda conn, ocsp, d: Bad())
    with pytest.raises(Boom):
        handshake(s, c)


# ---------------------------------------------------------------------------
# Server results and exceptions
# ---------------------------------------------------------------------------


def test_server_exception_reraised_from_server(server):
    raised = Boom("server")

    def server_cb(conn, data):
        raise raised

    s, c = ocsp_pair(server, server_cb, lambda *a: True)
    with pytest.raises(SSL.WantReadError):
        c.do_handshake()
    s.bio_write(c.bio_read(65536))
    with pytest.raises(Boom) as info:
        s.do_handshake()
    assert info.value is raised


@pytest.mark.parametrize("value", ["response", None, 1, bytearray(b"r")])
def test_server_non_bytes_is_type_error(server, value):
    s, c = ocsp_pair(server, lambda conn, d: value, lambda *a: True)
    with pytest.raises(TypeError, match="OCSP callback must return a "
                                        "bytestring"):
        handshake(s, c)


def test_server_exception_over_sockets(server):
    def server_cb(conn, data):
        raise Boom("server")

    sctx = server_context(server)
    sctx.set_ocsp_server_callback(server_cb)
    cctx = client_context()
    cctx.set_ocsp_client_callback(lambda *a: True)
    s, c = socket_pair(sctx, cctx)
    c.request_ocsp()
    with pytest.raises(Boom):
        socket_handshake(s, c)


def test_large_response(server):
    big = b"r" * 60000
    got = []
    s, c = ocsp_pair(server, lambda conn, d: big,
                     lambda conn, ocsp, d: got.append(ocsp) or True)
    handshake(s, c)
    assert got == [big]


# ---------------------------------------------------------------------------
# One slot for both callbacks
# ---------------------------------------------------------------------------


def test_server_callback_replaces_client_callback(server):
    calls = []
    sctx = server_context(server)
    sctx.set_ocsp_client_callback(lambda *a: calls.append("client") or True)
    sctx.set_ocsp_server_callback(
        lambda conn, d: calls.append("server") or RESPONSE)
    cctx = client_context()
    cctx.set_ocsp_client_callback(lambda conn, ocsp, d: True)
    s, c = memory_pair(sctx, cctx)
    c.request_ocsp()
    handshake(s, c)
    assert calls == ["server"]


def test_client_callback_replaces_server_callback(server):
    # A server Context whose slot holds a client callback staples nothing:
    # the client callback is what runs, and it runs on the server side.
    calls = []
    sctx = server_context(server)
    sctx.set_ocsp_server_callback(lambda conn, d: RESPONSE)
    sctx.set_ocsp_client_callback(
        lambda conn, ocsp, d: calls.append(conn) or True)
    got = []
    cctx = client_context()
    cctx.set_ocsp_client_callback(
        lambda conn, ocsp, d: got.append(ocsp) or True)
    s, c = memory_pair(sctx, cctx)
    c.request_ocsp()
    with pytest.raises(SSL.Error):
        handshake(s, c)
    assert calls == [s]
    assert RESPONSE not in got


def test_data_replaced_with_callback(server):
    seen = []
    sctx = server_context(server)
    sctx.set_ocsp_server_callback(lambda conn, d: RESPONSE, "first")
    sctx.set_ocsp_server_callback(
        lambda conn, d: seen.append(d) or RESPONSE)
    s, c = memory_pair(sctx, client_context())
    c.request_ocsp()
    handshake(s, c)
    assert seen == [None]


def test_request_ocsp_returns_none():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    assert conn.request_ocsp() is None


def test_request_ocsp_takes_no_arguments():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.request_ocsp(True)
