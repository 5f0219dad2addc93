"""OpenSSL.rand (API.md 1.10, 3.2 rows 7 and 31, 3.3)."""

import inspect
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from OpenSSL import rand

PUBLIC_NAMES = {
    "Error",
    "add",
    "bytes",
    "cleanup",
    "egd",
    "load_file",
    "seed",
    "status",
    "write_file",
}


# ---------------------------------------------------------------------------
# The module
# ---------------------------------------------------------------------------


def test_public_names():
    names = {n for n in dir(rand) if not n.startswith("_")}
    if sys.platform == "win32":
        assert names == PUBLIC_NAMES | {"screen"}
    else:
        assert names == PUBLIC_NAMES
        assert not hasattr(rand, "screen")


def test_no_all():
    # Neither 0.13 nor 23/26 gave OpenSSL.rand an __all__.
    assert not hasattr(rand, "__all__")


def test_error_class():
    assert issubclass(rand.Error, Exception)
    assert rand.Error.__module__ == "OpenSSL.rand"
    assert rand.Error.__qualname__ == "Error"
    e = rand.Error([("lib", "", "reason")])
    assert e.args == ([("lib", "", "reason")],)

    from OpenSSL import crypto

    assert rand.Error is not crypto.Error


def test_import_emits_no_warning():
    subprocess.run(
        [sys.executable, "-W", "error", "-c", "import OpenSSL.rand"],
        check=True,
    )


def test_docstrings_give_signatures():
    sig = inspect.signature
    assert str(sig(rand.add)) == "(buffer, entropy)"
    assert str(sig(rand.seed)) == "(buffer)"
    assert str(sig(rand.status)) == "()"
    assert str(sig(rand.bytes)) == "(num_bytes)"
    assert str(sig(rand.cleanup)) == "()"
    assert str(sig(rand.load_file)) == "(filename, maxbytes=-1)"
    assert str(sig(rand.write_file)) == "(filename)"
    assert str(sig(rand.egd)) == "(path, bytes=255)"


def test_module_state_survives_reimport():
    # Multi-phase init: a fresh module object gets its own state.
    code = (
        "import importlib.util, sys\n"
        "import OpenSSL.rand as a\n"
        "spec = importlib.util.find_spec('OpenSSL.rand')\n"
        "b = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(b)\n"
        "assert a is not b and a.Error is not b.Error\n"
        "assert len(b.bytes(5)) == 5\n"
        "del sys.modules['OpenSSL.rand'], a, b\n"
        "import gc; gc.collect()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------
# add, seed, status, cleanup
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entropy",
    [0, 3, 2, True, 1.5, 0.0, -1, -2.5, 10**100, -(10**100), float("inf"),
     float("-inf"), float("nan")],
)
def test_add(entropy):
    assert rand.add(b"hello", entropy) is None


def test_add_keywords():
    assert rand.add(buffer=b"abc", entropy=3) is None
    assert rand.add(b"", 0) is None


def test_add_large_buffer():
    assert rand.add(b"\x00" * (1 << 20), 1 << 20) is None


@pytest.mark.parametrize(
    "buffer", ["text", bytearray(b"abc"), memoryview(b"abc"), None, 3]
)
def test_add_buffer_must_be_bytes(buffer):
    with pytest.raises(TypeError, match="^buffer must be a byte string$"):
        rand.add(buffer, 1)


@pytest.mark.parametrize("entropy", [None, "1", b"1", 1j, [1]])
def test_add_entropy_must_be_a_number(entropy):
    with pytest.raises(TypeError, match="^entropy must be an integer$"):
        rand.add(b"abc", entropy)


def test_add_argument_count():
    with pytest.raises(TypeError):
        rand.add(b"abc")
    with pytest.raises(TypeError):
        rand.add(b"abc", 1, 2)
    with pytest.raises(TypeError):
        rand.add(b"abc", entropy=1, other=2)


def test_seed():
    assert rand.seed(b"some seed material") is None
    assert rand.seed(buffer=b"") is None


@pytest.mark.parametrize("buffer", ["text", bytearray(b"x"), None])
def test_seed_buffer_must_be_bytes(buffer):
    with pytest.raises(TypeError, match="^buffer must be a byte string$"):
        rand.seed(buffer)


def test_status():
    assert rand.status() == 1
    assert type(rand.status()) is int
    with pytest.raises(TypeError):
        rand.status(1)


def test_cleanup():
    assert rand.cleanup() is None
    # The PRNG keeps working afterwards.
    assert rand.status() == 1
    assert len(rand.bytes(16)) == 16
    with pytest.raises(TypeError):
        rand.cleanup(1)


# ---------------------------------------------------------------------------
# bytes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 16, 255, 256, 4096, 1 << 20])
def test_bytes_lengths(n):
    b = rand.bytes(n)
    assert type(b) is bytes
    assert len(b) == n


def test_bytes_keyword_and_bool():
    assert len(rand.bytes(num_bytes=7)) == 7
    assert len(rand.bytes(True)) == 1


def test_bytes_randomness_sanity():
    outputs = {rand.bytes(32) for _ in range(100)}
    assert len(outputs) == 100
    big = rand.bytes(1 << 16)
    # 65536 uniform bytes: every value occurs, none absurdly often.
    counts = [0] * 256
    for byte in big:
        counts[byte] += 1
    assert min(counts) > 128
    assert max(counts) < 384
    ones = sum(bin(byte).count("1") for byte in big)
    assert abs(ones - 4 * len(big)) < 0.01 * 8 * len(big)


@pytest.mark.parametrize("n", [1.0, "3", b"3", None, [3]])
def test_bytes_wrong_type(n):
    with pytest.raises(TypeError, match="^num_bytes must be an integer$"):
        rand.bytes(n)


@pytest.mark.parametrize("n", [-1, -(2**31), -(2**63), -(10**30)])
def test_bytes_negative(n):
    with pytest.raises(ValueError, match="^num_bytes must not be negative$"):
        rand.bytes(n)


def test_bytes_too_large():
    with pytest.raises(OverflowError, match="^num_bytes is too large$"):
        rand.bytes(10**30)
    with pytest.raises((MemoryError, OverflowError)):
        rand.bytes(sys.maxsize)


def test_bytes_argument_errors():
    with pytest.raises(TypeError):
        rand.bytes()
    with pytest.raises(TypeError):
        rand.bytes(1, 2)
    with pytest.raises(TypeError):
        rand.bytes(n=1)


def test_bytes_from_threads():
    results = []
    errors = []

    def worker():
        try:
            for _ in range(200):
                results.append(rand.bytes(64))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 1600
    assert len(set(results)) == 1600


# ---------------------------------------------------------------------------
# load_file, write_file
# ---------------------------------------------------------------------------


def test_write_then_load(tmp_path):
    path = tmp_path / "seed"
    written = rand.write_file(str(path))
    assert written > 0
    assert path.stat().st_size == written
    # OpenSSL creates the seed file readable by its owner only.
    assert path.stat().st_mode & 0o077 == 0
    assert rand.load_file(str(path)) == written
    assert rand.load_file(str(path), -1) == written
    assert rand.load_file(str(path), 10) == 10
    assert rand.load_file(filename=str(path), maxbytes=5) == 5
    assert rand.load_file(str(path), 0) == 0


def test_write_file_overwrites_with_new_data(tmp_path):
    path = tmp_path / "seed"
    rand.write_file(path)
    first = path.read_bytes()
    rand.write_file(path)
    assert path.read_bytes() != first


@pytest.mark.parametrize(
    "convert", [str, os.fsencode, pathlib.Path], ids=["str", "bytes", "path"]
)
def test_paths_of_every_kind(tmp_path, convert):
    path = convert(os.path.join(str(tmp_path), "seed"))
    written = rand.write_file(path)
    assert written > 0
    assert rand.load_file(path) == written
    assert rand.write_file(filename=path) == written


def test_load_file_of_other_content(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"x" * 3000)
    assert rand.load_file(path) == 3000
    assert rand.load_file(path, 100) == 100
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert rand.load_file(empty) == 0


def test_load_file_missing(tmp_path):
    assert rand.load_file(tmp_path / "missing") == -1
    assert rand.load_file(tmp_path / "missing", 10) == -1


def test_write_file_failure(tmp_path):
    assert rand.write_file(tmp_path / "no" / "such" / "dir") == -1


def test_failures_leave_no_error_queue(tmp_path):
    # A failed RAND_load_file queues OpenSSL errors; they must not leak
    # into the next call that reports from the queue.
    from OpenSSL import crypto

    assert rand.load_file(tmp_path / "missing") == -1
    assert rand.write_file(tmp_path / "no" / "x") == -1
    with pytest.raises(crypto.Error) as info:
        crypto._exception_from_error_queue()
    assert info.value.args == ([],)


@pytest.mark.parametrize("bad", [None, 1, 1.5, object()])
def test_path_wrong_type(bad):
    with pytest.raises(TypeError):
        rand.load_file(bad)
    with pytest.raises(TypeError):
        rand.write_file(bad)
    with pytest.raises(TypeError):
        rand.egd(bad)


def test_path_with_nul():
    with pytest.raises(ValueError):
        rand.load_file("a\0b")
    with pytest.raises(ValueError):
        rand.write_file(b"a\0b")
    with pytest.raises(ValueError):
        rand.egd("a\0b")


@pytest.mark.parametrize("bad", ["10", 1.0, None, b"1"])
def test_load_file_maxbytes_wrong_type(tmp_path, bad):
    with pytest.raises(TypeError, match="^maxbytes must be an integer$"):
        rand.load_file(tmp_path / "x", bad)


def test_load_file_maxbytes_overflow(tmp_path):
    with pytest.raises(OverflowError):
        rand.load_file(tmp_path / "x", 2**200)


def test_file_argument_errors(tmp_path):
    with pytest.raises(TypeError):
        rand.load_file()
    with pytest.raises(TypeError):
        rand.write_file()
    with pytest.raises(TypeError):
        rand.write_file(tmp_path / "x", 1)
    with pytest.raises(TypeError):
        rand.load_file(tmp_path / "x", 1, 2)


# ---------------------------------------------------------------------------
# egd
# ---------------------------------------------------------------------------


class FakeEGD:
    """
    A tiny Entropy Gathering Daemon on a Unix-domain socket, served by a
    thread. `behaviour` decides how it answers each request:

      "serve"     answer {0x01, n} with n (at most `chunk`) bytes
      "empty"     answer with a count of 0
      "silent"    accept, read the request, never answer
      "truncate"  announce n bytes, send fewer, close
      "close"     close the connection at once
      "slow"      answer each request byte by byte, with small pauses
    """

    def __init__(self, path, behaviour="serve", chunk=255):
        self.path = str(path)
        self.behaviour = behaviour
        self.chunk = chunk
        self.requests = []
        self.sent = 0
        self.stop = threading.Event()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        self.listener.listen(5)
        self.listener.settimeout(0.1)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    self.serve(conn)
                except OSError:
                    pass

    def recv_exact(self, conn, n):
        data = b""
        while len(data) < n:
            piece = conn.recv(n - len(data))
            if not piece:
                return None
            data += piece
        return data

    def serve(self, conn):
        if self.behaviour == "close":
            return
        while True:
            request = self.recv_exact(conn, 2)
            if request is None:
                return
            self.requests.append(tuple(request))
            assert request[0] == 0x01
            n = min(request[1], self.chunk)
            if self.behaviour == "empty":
                conn.sendall(b"\x00")
            elif self.behaviour == "silent":
                self.stop.wait(10)
                return
            elif self.behaviour == "truncate":
                conn.sendall(bytes([n]) + os.urandom(n // 2))
                return
            elif self.behaviour == "slow":
                self.sent += n
                for byte in bytes([n]) + os.urandom(n):
                    conn.sendall(bytes([byte]))
                    time.sleep(0.001)
            else:
                self.sent += n
                conn.sendall(bytes([n]) + os.urandom(n))

    def close(self):
        self.stop.set()
        self.listener.close()
        self.thread.join(5)


@pytest.fixture
def egd_path(tmp_path):
    # Unix socket paths are short (108 bytes on Linux): use a short dir.
    import tempfile

    d = tempfile.mkdtemp(prefix="egd")
    yield os.path.join(d, "s")
    try:
        os.unlink(os.path.join(d, "s"))
    except OSError:
        pass
    os.rmdir(d)


@pytest.fixture
def egd_server(egd_path):
    servers = []

    def make(behaviour="serve", chunk=255):
        server = FakeEGD(egd_path, behaviour, chunk)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


pytestmark_unix = pytest.mark.skipif(
    not hasattr(socket, "AF_UNIX"), reason="needs Unix-domain sockets"
)


@pytestmark_unix
def test_egd_default_255(egd_server):
    server = egd_server()
    assert rand.egd(server.path) == 255
    assert server.requests == [(1, 255)]
    assert server.sent == 255


@pytestmark_unix
@pytest.mark.parametrize(
    "convert", [str, os.fsencode, pathlib.Path], ids=["str", "bytes", "path"]
)
def test_egd_path_kinds(egd_server, convert):
    server = egd_server()
    assert rand.egd(convert(server.path), 10) == 10
    assert server.requests == [(1, 10)]


@pytestmark_unix
def test_egd_keywords(egd_server):
    server = egd_server()
    assert rand.egd(path=server.path, bytes=3) == 3
    assert server.requests == [(1, 3)]


@pytestmark_unix
def test_egd_more_than_255_in_several_requests(egd_server):
    server = egd_server()
    assert rand.egd(server.path, 600) == 600
    assert server.requests == [(1, 255), (1, 255), (1, 90)]


@pytestmark_unix
def test_egd_daemon_gives_less_per_answer(egd_server):
    server = egd_server(chunk=100)
    assert rand.egd(server.path, 255) == 255
    assert server.requests == [(1, 255), (1, 155), (1, 55)]


@pytestmark_unix
def test_egd_slow_daemon(egd_server):
    server = egd_server("slow")
    assert rand.egd(server.path, 40) == 40


@pytestmark_unix
def test_egd_zero_bytes_connects(egd_server):
    server = egd_server()
    assert rand.egd(server.path, 0) == 0
    assert server.requests == []


@pytestmark_unix
def test_egd_daemon_without_entropy(egd_server):
    server = egd_server("empty")
    assert rand.egd(server.path) == 0
    assert server.requests == [(1, 255)]


@pytestmark_unix
def test_egd_daemon_closes(egd_server):
    server = egd_server("close")
    assert rand.egd(server.path) == 0


@pytestmark_unix
def test_egd_truncated_answer_not_counted(egd_server):
    server = egd_server("truncate")
    assert rand.egd(server.path, 50) == 0


@pytestmark_unix
def test_egd_silent_daemon_times_out(egd_server):
    server = egd_server("silent")
    start = time.monotonic()
    assert rand.egd(server.path) == 0
    elapsed = time.monotonic() - start
    assert 1.5 < elapsed < 5


@pytestmark_unix
def test_egd_listener_that_never_accepts(egd_path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(egd_path)
    listener.listen(1)
    try:
        start = time.monotonic()
        result = rand.egd(egd_path)
        assert time.monotonic() - start < 5
        # Connected (the kernel queued it), but nothing ever answered.
        assert result == 0
    finally:
        listener.close()


@pytestmark_unix
def test_egd_missing_path(tmp_path):
    assert rand.egd(str(tmp_path / "nothing-here")) == -1
    assert rand.egd(tmp_path / "nothing-here", 10) == -1


@pytestmark_unix
def test_egd_not_a_socket(tmp_path):
    path = tmp_path / "file"
    path.write_bytes(b"not a socket")
    assert rand.egd(path) == -1


@pytestmark_unix
def test_egd_stale_socket_file(egd_path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(egd_path)
    s.close()  # the file stays, nobody listens
    assert rand.egd(egd_path) == -1


@pytestmark_unix
def test_egd_unusable_paths():
    assert rand.egd("") == -1
    assert rand.egd("/" + "x" * 200) == -1
    assert rand.egd("/" + "x" * 5000) == -1


@pytestmark_unix
@pytest.mark.parametrize("bad", ["255", 1.0, None, b"\xff"])
def test_egd_bytes_wrong_type(egd_path, bad):
    with pytest.raises(TypeError, match="^bytes must be an integer$"):
        rand.egd(egd_path, bad)


@pytestmark_unix
def test_egd_bytes_negative(egd_path):
    with pytest.raises(ValueError, match="^bytes must not be negative$"):
        rand.egd(egd_path, -1)
    with pytest.raises(OverflowError):
        rand.egd(egd_path, 2**200)


def test_egd_argument_errors():
    with pytest.raises(TypeError):
        rand.egd()
    with pytest.raises(TypeError):
        rand.egd("x", 1, 2)
    with pytest.raises(TypeError):
        rand.egd("x", count=1)


@pytestmark_unix
@pytest.mark.skipif(
    not hasattr(signal, "setitimer"), reason="needs signal.setitimer"
)
def test_egd_signal_interrupts(egd_server):
    # A Python signal handler runs while egd() waits, and an exception it
    # raises ends the call.
    server = egd_server("silent")

    class Interrupted(Exception):
        pass

    def handler(signum, frame):
        raise Interrupted()

    old = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        start = time.monotonic()
        with pytest.raises(Interrupted):
            rand.egd(server.path)
        assert time.monotonic() - start < 1.5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytestmark_unix
@pytest.mark.skipif(
    not hasattr(signal, "setitimer"), reason="needs signal.setitimer"
)
def test_egd_signal_handler_returning_resumes(egd_server):
    server = egd_server("slow")
    calls = []

    def handler(signum, frame):
        calls.append(signum)

    old = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.01, 0.01)
        assert rand.egd(server.path, 200) == 200
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
