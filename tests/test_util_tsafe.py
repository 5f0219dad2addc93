"""
OpenSSL._util (DOWNSTREAM.md 1.1, 1.8: importable, `lib`/`ffi` exist but
are not cffi handles) and OpenSSL.tsafe (API.md 1.11, 3.3).
"""

import copy
import pathlib
import pickle
import subprocess
import sys
import threading
import time
import warnings

import pytest

from OpenSSL import SSL, _util

# ---------------------------------------------------------------------------
# OpenSSL._util
# ---------------------------------------------------------------------------


def test_util_imports_like_downstream():
    # Twisted's _sslverify and Scrapy do these at import time.
    code = (
        "from OpenSSL._util import lib as pyOpenSSLlib\n"
        "from OpenSSL._util import ffi\n"
        "import OpenSSL._util\n"
        "import sys\n"
        "assert 'cffi' not in sys.modules\n"
        "assert 'cryptography' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


@pytest.mark.parametrize(
    "name", ["lib", "ffi", "binding", "no_zero_allocator"]
)
def test_cffi_stand_ins_have_no_attributes(name):
    obj = getattr(_util, name)
    for attr in ["SSL_CTX_set_ecdh_auto", "X509_NAME_oneline", "new",
                 "string", "NULL", "_private", "lib", "ffi"]:
        assert not hasattr(obj, attr)
    with pytest.raises(AttributeError) as info:
        obj.X509_NAME_oneline
    message = str(info.value)
    assert "C extension" in message
    assert "without cffi bindings" in message
    assert "OpenSSL._util.%s" % (name,) in message
    assert "'X509_NAME_oneline'" in message
    assert dir(obj) == []


def test_cffi_stand_ins_are_read_only():
    with pytest.raises(AttributeError, match="without cffi bindings"):
        _util.lib.SSL_new = lambda: None
    with pytest.raises(AttributeError, match="without cffi bindings"):
        del _util.lib.SSL_new
    assert not hasattr(_util.lib, "SSL_new")


def test_cffi_stand_ins_cannot_be_called():
    with pytest.raises(TypeError, match="without cffi bindings"):
        _util.no_zero_allocator("char[]", 10)
    with pytest.raises(TypeError, match="without cffi bindings"):
        _util.lib()


def test_cffi_stand_ins_are_well_behaved_objects():
    lib = _util.lib
    assert repr(lib) == (
        "<OpenSSL._util.lib: no cffi bindings in this pyOpenSSL>"
    )
    assert lib is not _util.ffi
    assert copy.copy(lib) is lib
    assert copy.deepcopy(lib) is lib
    assert pickle.loads(pickle.dumps(lib)) is lib
    assert bool(lib)
    assert isinstance(lib.__doc__, str)
    assert hash(lib) == hash(lib)


def test_twisted_style_ecdh_probe():
    # Twisted 22.4 calls lib.SSL_CTX_set_ecdh_auto only on OpenSSL 1.0.2,
    # inside try/except BaseException; a probe must simply fail.
    try:
        _util.lib.SSL_CTX_set_ecdh_auto(None, True)
    except BaseException as e:
        assert isinstance(e, AttributeError)
    else:  # pragma: no cover
        pytest.fail("the stand-in answered a cffi call")


def test_util_docstring_explains():
    doc = _util.__doc__
    assert "C extension" in doc
    assert "cffi" in doc


def test_path_bytes():
    assert _util.path_bytes("abc") == b"abc"
    assert _util.path_bytes(b"abc") == b"abc"
    assert _util.path_bytes(pathlib.PurePosixPath("a/b")) == b"a/b"
    assert _util.path_bytes("\u00e9") == "\u00e9".encode(
        sys.getfilesystemencoding()
    )
    with pytest.raises(TypeError):
        _util.path_bytes(1)


def test_byte_string():
    assert _util.byte_string("abc") == b"abc"
    assert _util.byte_string("\xff") == b"\xff"


def test_text():
    assert _util.text(None) == ""
    assert _util.text(b"") == ""
    assert _util.text(b"caf\xc3\xa9") == "caf\u00e9"
    assert _util.text("already text") == "already text"
    with pytest.raises(TypeError, match="no cffi char"):
        _util.text(12)


def test_text_to_bytes_and_warn():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert _util.text_to_bytes_and_warn("data", "caf\u00e9") == (
            b"caf\xc3\xa9"
        )
        obj = object()
        assert _util.text_to_bytes_and_warn("data", obj) is obj
        assert _util.text_to_bytes_and_warn("data", b"x") == b"x"
    assert len(caught) == 1
    assert caught[0].category is DeprecationWarning
    assert str(caught[0].message) == (
        "str for data is no longer accepted, use bytes"
    )


def test_unspecified_and_types():
    assert _util.UNSPECIFIED is _util.UNSPECIFIED
    assert _util.UNSPECIFIED is not None
    assert str in _util.StrOrBytesPath.__args__
    assert bytes in _util.StrOrBytesPath.__args__


def test_exception_from_error_queue():
    class MyError(Exception):
        pass

    with pytest.raises(MyError) as info:
        _util.exception_from_error_queue(MyError)
    # Every function of this pyOpenSSL leaves the queue empty.
    assert info.value.args == ([],)


def test_make_assert():
    openssl_assert = _util.make_assert(ValueError)
    assert openssl_assert(True) is None
    for bad in (False, 1, None):
        with pytest.raises(ValueError) as info:
            openssl_assert(bad)
        assert info.value.args == ([],)


# ---------------------------------------------------------------------------
# OpenSSL.tsafe
# ---------------------------------------------------------------------------

TSAFE_METHODS = {
    "get_context", "pending", "send", "write", "recv", "read",
    "renegotiate", "bind", "listen", "connect", "accept", "setblocking",
    "fileno", "shutdown", "close", "get_cipher_list", "getpeername",
    "getsockname", "getsockopt", "setsockopt", "makefile", "get_app_data",
    "set_app_data", "state_string", "sock_shutdown", "get_peer_certificate",
    "get_peer_cert_chain", "want_read", "want_write", "set_connect_state",
    "set_accept_state", "connect_ex", "sendall",
}


def test_tsafe_is_importable_but_not_imported_by_the_package():
    code = (
        "import sys, OpenSSL\n"
        "assert 'OpenSSL.tsafe' not in sys.modules\n"
        "import OpenSSL.tsafe\n"
        "from OpenSSL.tsafe import Connection\n"
        "assert OpenSSL.tsafe.Connection is Connection\n"
    )
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


class FakeConnection:
    """Records calls; every listed method returns (name, args)."""

    instances = []

    def __init__(self, *args):
        self.args = args
        self.calls = []
        self.hook = None
        FakeConnection.instances.append(self)

    def __getattr__(self, name):
        # Any method, listed or not: the wrapper must only expose the list.
        if name.startswith("__"):
            raise AttributeError(name)

        def method(*args, **kwargs):
            if kwargs:
                raise AssertionError("keywords reached the Connection")
            self.calls.append((name, args))
            if self.hook is not None:
                return self.hook(name, args)
            return (name, args)

        return method


@pytest.fixture
def tsafe(monkeypatch):
    from OpenSSL import tsafe

    FakeConnection.instances = []
    monkeypatch.setattr(SSL, "Connection", FakeConnection, raising=False)
    return tsafe


def test_tsafe_creates_ssl_connection_with_args(tsafe):
    conn = tsafe.Connection("ctx", "sock")
    [fake] = FakeConnection.instances
    assert fake.args == ("ctx", "sock")
    assert conn._ssl_conn is fake
    tsafe.Connection()
    assert FakeConnection.instances[1].args == ()


def test_tsafe_exposes_exactly_the_listed_methods(tsafe):
    public = {n for n in vars(tsafe.Connection) if not n.startswith("_")}
    assert public == TSAFE_METHODS
    conn = tsafe.Connection(None)
    for name in ["do_handshake", "set_tlsext_host_name", "bio_read",
                 "recv_into", "settimeout", "family", "_socket",
                 "get_peer_finished", "set_context"]:
        assert not hasattr(conn, name), name


@pytest.mark.parametrize("name", sorted(TSAFE_METHODS))
def test_tsafe_method_forwards_positional_args(tsafe, name):
    conn = tsafe.Connection(None)
    fake = conn._ssl_conn
    method = getattr(conn, name)
    assert method.__name__ == name
    assert method(1, b"two") == (name, (1, b"two"))
    assert method() == (name, ())
    assert fake.calls == [(name, (1, b"two")), (name, ())]
    with pytest.raises(TypeError):
        method(flags=1)
    assert len(fake.calls) == 2


def test_tsafe_call_holds_the_lock(tsafe):
    conn = tsafe.Connection(None)
    seen = []

    def hook(name, args):
        # Another thread cannot take the wrapper's lock during the call.
        result = []
        t = threading.Thread(
            target=lambda: result.append(conn._lock.acquire(blocking=False))
        )
        t.start()
        t.join()
        seen.append(result[0])
        return "ok"

    conn._ssl_conn.hook = hook
    assert conn.send(b"x") == "ok"
    assert seen == [False]
    # Released afterwards.
    assert conn._lock.acquire(blocking=False)
    conn._lock.release()


def test_tsafe_blocks_other_threads(tsafe):
    conn = tsafe.Connection(None)
    inside = threading.Event()
    release = threading.Event()
    order = []

    def hook(name, args):
        order.append(("enter", name))
        if name == "recv":
            inside.set()
            assert release.wait(10)
        order.append(("leave", name))
        return name

    conn._ssl_conn.hook = hook
    reader = threading.Thread(target=conn.recv, args=(1024,))
    reader.start()
    assert inside.wait(10)

    sender_done = threading.Event()

    def send():
        conn.send(b"data")
        sender_done.set()

    sender = threading.Thread(target=send)
    sender.start()
    # The sender is blocked on the lock while recv is inside.
    assert not sender_done.wait(0.3)
    assert order == [("enter", "recv")]
    release.set()
    reader.join(10)
    sender.join(10)
    assert sender_done.is_set()
    assert order == [
        ("enter", "recv"), ("leave", "recv"),
        ("enter", "send"), ("leave", "send"),
    ]


def test_tsafe_lock_is_reentrant(tsafe):
    conn = tsafe.Connection(None)

    def hook(name, args):
        if name == "sendall":
            # A nested call from the same thread does not deadlock.
            return ("nested", conn.send(*args))
        return len(args[0])

    conn._ssl_conn.hook = hook
    assert conn.sendall(b"abc") == ("nested", 3)


def test_tsafe_exception_releases_lock(tsafe):
    conn = tsafe.Connection(None)

    def hook(name, args):
        raise SSL_Error("boom")

    class SSL_Error(Exception):
        pass

    conn._ssl_conn.hook = hook
    with pytest.raises(SSL_Error, match="boom"):
        conn.read(10)
    assert conn._lock.acquire(blocking=False)
    conn._lock.release()


def test_tsafe_wrappers_have_their_own_locks(tsafe):
    a = tsafe.Connection(None)
    b = tsafe.Connection(None)
    assert a._lock is not b._lock
    entered = []

    def hook(name, args):
        t = threading.Thread(target=lambda: entered.append(b.pending()))
        t.start()
        t.join(10)
        return "a"

    a._ssl_conn.hook = hook
    assert a.want_read() == "a"
    assert entered == [("pending", ())]


def test_tsafe_many_threads_serialised(tsafe):
    conn = tsafe.Connection(None)
    active = []
    overlaps = []

    def hook(name, args):
        active.append(1)
        if len(active) > 1:
            overlaps.append(True)
        time.sleep(0.0001)  # invite a thread switch inside the call
        active.pop()
        return None

    conn._ssl_conn.hook = hook

    def worker():
        for _ in range(200):
            conn.write(b"x")

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
    assert len(conn._ssl_conn.calls) == 1600


def test_tsafe_constructor_errors_propagate(monkeypatch):
    from OpenSSL import tsafe

    class Refuses:
        def __init__(self, *args):
            raise TypeError("context must be a Context instance")

    monkeypatch.setattr(SSL, "Connection", Refuses, raising=False)
    with pytest.raises(TypeError, match="context must be a Context"):
        tsafe.Connection(object(), None)


@pytest.mark.skipif(
    not hasattr(SSL, "Connection") or not hasattr(SSL, "Context"),
    reason="OpenSSL.SSL.Connection is not built yet",
)
def test_tsafe_with_real_connection():
    from OpenSSL import tsafe

    ctx = SSL.Context(SSL.TLS_METHOD)
    conn = tsafe.Connection(ctx, None)
    assert isinstance(conn._ssl_conn, SSL.Connection)
    assert conn.get_context() is ctx
    conn.set_connect_state()
    assert conn.want_read() in (0, False)
    conn.set_app_data("data")
    assert conn.get_app_data() == "data"
    assert conn.pending() == 0
    assert isinstance(conn.get_cipher_list(), list)

