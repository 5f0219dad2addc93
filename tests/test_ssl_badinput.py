"""
Bad input and wrong states (DESIGN "Bad input gets a clear exception, never
a crash"; API.md 2.1, 4): wrong types, None, negative and huge sizes,
objects whose __init__ never ran, calls in the wrong handshake state,
memory-BIO calls on socket connections, closed sockets. Every call must
return or raise an ordinary exception -- never crash, hang or raise
SystemError -- and leave the OpenSSL error queue of the thread empty, so
that a later SSL.Error never carries stale entries.
"""

import socket
import warnings

import pytest

from OpenSSL import SSL, crypto
from conftest import UNDER_ASAN
from sslhelpers import (
    assert_queue_empty,
    client_context,
    close_pair,
    handshake_in_memory,
    handshake_pair,
    loopback,
    memory_pair,
    server_context,
)

ARGUMENT_SETS = [
    (),
    (None,),
    (0,),
    (1,),
    (-1,),
    (2**31,),
    (2**64,),
    (-2**70,),
    (b"",),
    (b"x" * 300,),
    (b"a\0b",),
    ("text",),
    (bytearray(8),),
    (memoryview(b"view"),),
    (1.5,),
    (object(),),
    ([],),
    ([b"h2"],),
    (None, None),
    (1, None),
    (1, 1),
    (b"x", -1),
    (bytearray(4), -1),
    (bytearray(4), 2**62),
    (b"label", 2**62),
    (1, 2, 3),
]

# Calls that would rightly wait for a peer or act on the process.
SKIP = {
    "__init__", "__new__", "__init_subclass__", "__subclasshook__",
    "__reduce__", "__reduce_ex__", "__getstate__", "__setattr__",
    "__delattr__", "__dir__", "__format__", "__sizeof__",
}


def public_methods(cls):
    names = []
    for name in dir(cls):
        if name in SKIP or (name.startswith("__") and name.endswith("__")):
            continue
        if callable(getattr(cls, name, None)):
            names.append(name)
    return names


def call_everything(obj, names, exclude=()):
    """Call obj.name(*args) for every method and argument set; return the
    exception types seen. Anything but an ordinary exception fails.

    export_keying_material(label, 2**62) is left out: it asks for a
    4-exabyte buffer, a MemoryError from malloc normally, but an abort
    under AddressSanitizer (test_export_keying_material_huge has it)."""
    seen = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name in names:
            if name in exclude:
                continue
            for args in ARGUMENT_SETS:
                if (name == "export_keying_material" and len(args) > 1
                        and args[1] == 2**62):
                    continue
                try:
                    getattr(obj, name)(*args)
                except SystemError as e:    # a C bug: NULL without error
                    raise AssertionError("%s%r: %r" % (name, args, e))
                except Exception as e:
                    seen.add(type(e))
                assert_queue_empty()
    return seen


CONNECTION_METHODS = public_methods(SSL.Connection)
CONTEXT_METHODS = public_methods(SSL.Context)


def test_method_lists_are_complete():
    for name in ("do_handshake", "send", "recv", "bio_read", "shutdown",
                 "set_session", "get_peer_certificate", "state_string",
                 "accept", "connect", "makefile", "sock_shutdown"):
        assert name in CONNECTION_METHODS
    for name in ("set_cipher_list", "load_verify_locations",
                 "use_privatekey_file", "set_passwd_cb", "set_verify"):
        assert name in CONTEXT_METHODS


# ---------------------------------------------------------------------------
# Objects whose __init__ never ran
# ---------------------------------------------------------------------------


def test_uninitialised_connection_everything():
    conn = SSL.Connection.__new__(SSL.Connection)
    call_everything(conn, CONNECTION_METHODS)
    assert conn._socket is None


@pytest.mark.parametrize("name", [
    "do_handshake", "send", "recv", "bio_read", "bio_write", "shutdown",
    "get_peer_certificate", "get_context", "set_context", "get_session", "renegotiate", "get_cipher_list", "state_string",
    "set_tlsext_host_name", "client_random", "accept", "connect_ex",
])
def test_uninitialised_connection_raises_attribute_error(name):
    conn = SSL.Connection.__new__(SSL.Connection)
    args = {
        "send": (b"x",), "recv": (1,), "bio_read": (1,),
        "bio_write": (b"x",), "set_context": (SSL.Context(SSL.TLS_METHOD),),
        "set_tlsext_host_name": (b"x",), "connect_ex": (("127.0.0.1", 1),),
    }.get(name, ())
    with pytest.raises(AttributeError):
        getattr(conn, name)(*args)
    assert_queue_empty()


def test_uninitialised_connection_set_session(ca, server):
    _, client_conn = handshake_pair(server_context(server),
                                    client_context(ca))
    conn = SSL.Connection.__new__(SSL.Connection)
    with pytest.raises(AttributeError):
        conn.set_session(client_conn.get_session())


def test_uninitialised_subclass_connection():
    class Mine(SSL.Connection):
        def __init__(self):
            pass            # never calls Connection.__init__

    conn = Mine()
    with pytest.raises(AttributeError):
        conn.fileno()
    call_everything(conn, CONNECTION_METHODS)


def test_uninitialised_context_everything():
    ctx = SSL.Context.__new__(SSL.Context)
    call_everything(ctx, CONTEXT_METHODS)
    with pytest.raises(AttributeError):
        ctx.set_options(1)
    with pytest.raises(AttributeError):
        ctx._context


def test_connection_on_uninitialised_context():
    ctx = SSL.Context.__new__(SSL.Context)
    with pytest.raises(AttributeError):
        SSL.Connection(ctx, None)
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(AttributeError):
        conn.set_context(ctx)
    assert conn.get_context() is not ctx


def test_uninitialised_session(ca):
    session = SSL.Session.__new__(SSL.Session)
    conn = SSL.Connection(client_context(ca), None)
    with pytest.raises(TypeError):
        conn.set_session(session)
    with pytest.raises(AttributeError):
        session._session


def test_session_takes_no_arguments():
    with pytest.raises(TypeError):
        SSL.Session(1)
    with pytest.raises(TypeError):
        SSL.Session(x=1)


# ---------------------------------------------------------------------------
# Every method with bad arguments, in every state
# ---------------------------------------------------------------------------


def test_fresh_memory_connection_everything():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    call_everything(conn, CONNECTION_METHODS)


def test_client_memory_connection_everything(ca):
    conn = SSL.Connection(client_context(ca), None)
    conn.set_connect_state()
    call_everything(conn, CONNECTION_METHODS)


def test_established_memory_connection_everything(ca, server):
    for side in (0, 1):
        conns = handshake_pair(server_context(server), client_context(ca))
        call_everything(conns[side], CONNECTION_METHODS)


def test_established_tls12_connection_everything(ca, server):
    sctx = server_context(server, version=SSL.TLS1_2_VERSION)
    for side in (0, 1):
        conns = handshake_pair(sctx, client_context(ca))
        call_everything(conns[side], CONNECTION_METHODS)


def test_unconnected_socket_connection_everything():
    sock = socket.socket()
    sock.setblocking(False)
    try:
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), sock)
        call_everything(conn, CONNECTION_METHODS)
    finally:
        sock.close()


def test_established_socket_connection_everything(ca, server):
    server_conn, client_conn = loopback(server_context(server),
                                        client_context(ca))
    try:
        call_everything(client_conn, CONNECTION_METHODS)
    finally:
        close_pair(server_conn, client_conn)


def test_closed_socket_connection_everything(ca, server):
    server_conn, client_conn = loopback(server_context(server),
                                        client_context(ca))
    client_conn._socket.close()
    try:
        call_everything(client_conn, CONNECTION_METHODS)
    finally:
        close_pair(server_conn, client_conn)


def test_context_everything():
    for method in (SSL.TLS_METHOD, SSL.TLS_CLIENT_METHOD, SSL.DTLS_METHOD):
        call_everything(SSL.Context(method), CONTEXT_METHODS)


def test_context_everything_then_handshake(ca, server):
    """After all that abuse a Context still works."""
    sctx = server_context(server)
    call_everything(sctx, CONTEXT_METHODS,
                    exclude=("use_privatekey", "use_certificate",
                             "set_tmp_ecdh", "set_cipher_list",
                             "set_min_proto_version", "set_verify",
                             "set_max_proto_version", "set_options",
                             "set_tls13_ciphersuites", "set_session_id",
                             "set_verify_depth", "set_mode", "clear_mode",
                             "set_session_cache_mode",
                             "set_tlsext_use_srtp"))
    sctx.use_privatekey(server[0])
    sctx.use_certificate(server[1])
    sctx.set_info_callback(lambda *a: None)
    sctx.set_tlsext_servername_callback(None)
    sctx.set_alpn_select_callback(None)
    sctx.set_ocsp_server_callback(None)
    sctx.set_keylog_callback(None)
    handshake_pair(sctx, client_context(ca))


# ---------------------------------------------------------------------------
# Specific checks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [-1, -2**40])
def test_negative_sizes(size):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    for call in (lambda: conn.recv(size), lambda: conn.read(size),
                 lambda: conn.bio_read(size),
                 lambda: conn.recv_into(bytearray(4), size)):
        with pytest.raises(ValueError):
            call()


@pytest.mark.parametrize("size", [2**63, 2**100])
def test_huge_sizes(size):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    for call in (lambda: conn.recv(size), lambda: conn.bio_read(size),
                 lambda: conn.recv_into(bytearray(4), size)):
        with pytest.raises((OverflowError, ValueError)):
            call()


def test_large_but_valid_sizes(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    client_conn.send(b"abc")
    data = client_conn.bio_read(2**62)
    server_conn.bio_write(data)
    assert server_conn.recv(2**62) == b"abc"
    with pytest.raises(SSL.WantReadError):
        server_conn.recv(2**40)


@pytest.mark.skipif(UNDER_ASAN, reason="ASan aborts on huge allocations")
def test_export_keying_material_huge(ca, server):
    _, client_conn = handshake_pair(server_context(server),
                                    client_context(ca))
    with pytest.raises(MemoryError):
        client_conn.export_keying_material(b"label", 2**62)
    with pytest.raises(OverflowError):
        client_conn.export_keying_material(b"label", 2**63)
    with pytest.raises(ValueError):
        client_conn.export_keying_material(b"label", -1)
    assert_queue_empty()


@pytest.mark.parametrize("bad", [None, "1", 1.0, b"1"])
def test_size_types(bad):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.recv(bad)
    with pytest.raises(TypeError) as info:
        conn.bio_read(bad)
    assert str(info.value) == "bufsiz must be an integer"
    if bad is not None:
        with pytest.raises(TypeError):
            conn.recv_into(bytearray(4), bad)


@pytest.mark.parametrize("bad", ["1", 1.5, b"\x01"])
def test_flags_types(bad):
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    with pytest.raises(TypeError):
        conn.recv(10, bad)
    with pytest.raises(TypeError):
        conn.recv_into(bytearray(4), None, bad)


def test_keywords():
    conn = SSL.Connection(context=SSL.Context(method=SSL.TLS_METHOD),
                          socket=None)
    with pytest.raises(SSL.WantReadError):
        conn.bio_read(bufsiz=10)
    with pytest.raises(TypeError):
        conn.bio_read(size=10)
    with pytest.raises(TypeError):
        conn.recv(10, flags=0, extra=1)


def test_memory_bio_methods_on_socket_connection():
    sock = socket.socket()
    try:
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), sock)
        with pytest.raises(TypeError) as info:
            conn.bio_read(10)
        assert str(info.value) == "Connection sock was not None"
        with pytest.raises(TypeError) as info:
            conn.bio_write(b"x")
        assert str(info.value) == "Connection sock was not None"
        with pytest.raises(TypeError) as info:
            conn.bio_shutdown()
        assert str(info.value) == "Connection sock was not None"
    finally:
        sock.close()


def test_wrong_state_calls():
    conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    # no connect/accept state yet
    with pytest.raises(SSL.Error) as info:
        conn.do_handshake()
    assert info.value.args == (
        [("SSL routines", "", "connection type not set")],
    )
    with pytest.raises(SSL.Error) as info:
        conn.send(b"x")
    assert info.value.args == ([("SSL routines", "", "uninitialized")],)
    with pytest.raises(SSL.Error) as info:
        conn.recv(1)
    assert info.value.args == ([("SSL routines", "", "uninitialized")],)
    with pytest.raises(SSL.Error) as info:
        conn.shutdown()
    assert info.value.args == ([("SSL routines", "", "uninitialized")],)
    assert_queue_empty()


def test_unconnected_socket_calls():
    sock = socket.socket()
    try:
        conn = SSL.Connection(SSL.Context(SSL.TLS_METHOD), sock)
        with pytest.raises(SSL.Error) as info:
            conn.do_handshake()
        assert info.value.args == (
            [("SSL routines", "", "connection type not set")],
        )
        conn.set_connect_state()
        with pytest.raises(SSL.SysCallError) as info:
            conn.do_handshake()
        assert info.value.args[0] in (32, 107)   # EPIPE, ENOTCONN
        assert info.value.args[1] in ("EPIPE", "ENOTCONN")
        assert_queue_empty()
    finally:
        sock.close()


def test_garbage_from_the_peer(ca, server):
    server_conn, _ = memory_pair(server_context(server), client_context(ca))
    server_conn.bio_write(b"GET / HTTP/1.0\r\n\r\n")
    with pytest.raises(SSL.Error) as info:
        server_conn.do_handshake()
    assert type(info.value) is SSL.Error
    assert info.value.args[0][-1] == ("SSL routines", "", "http request")
    assert_queue_empty()
    with pytest.raises(SSL.Error):
        server_conn.do_handshake()
    assert_queue_empty()


def test_garbage_mid_connection(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    server_conn.bio_write(b"\x17\x03\x03\x00\x10" + b"\0" * 16)
    with pytest.raises(SSL.Error) as info:
        server_conn.recv(10)
    assert info.value.args[0][-1][0] == "SSL routines"
    assert_queue_empty()


def test_truncated_records(ca, server):
    server_conn, client_conn = handshake_pair(server_context(server),
                                              client_context(ca))
    client_conn.send(b"x" * 1000)
    record = client_conn.bio_read(65536)
    for cut in (1, 5, len(record) - 1):
        server_conn.bio_write(record[:cut])
        with pytest.raises(SSL.WantReadError):
            server_conn.recv(2000)
        server_conn.bio_write(record[cut:])
        assert server_conn.recv(2000) == b"x" * 1000
        client_conn.send(b"x" * 1000)
        record = client_conn.bio_read(65536)


def test_callbacks_returning_odd_values(ca, server):
    """Callbacks returning objects of the wrong type never crash."""
    class Weird:
        def __bool__(self):
            raise RuntimeError("no truth")

        def __index__(self):
            raise RuntimeError("no index")

    for value in (Weird(), None, 2**100, -1, "yes", b"", object()):
        sctx = server_context(server)
        sctx.set_tlsext_servername_callback(lambda conn: value)
        sctx.set_info_callback(lambda *args: value)
        cctx = client_context(ca, callback=lambda *args: value)
        server_conn, client_conn = memory_pair(sctx, cctx,
                                               server_name=b"localhost")
        try:
            handshake_in_memory(client_conn, server_conn)
        except (SSL.Error, RuntimeError):
            pass
        assert_queue_empty()


def test_error_queue_left_by_crypto_is_not_blamed_on_ssl():
    """A crypto failure leaves nothing behind for the next SSL.Error."""
    with pytest.raises(crypto.Error):
        crypto.load_certificate(crypto.FILETYPE_PEM, b"garbage")
    assert_queue_empty()
