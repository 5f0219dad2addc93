"""
The benchmark workloads, runnable against three TLS stacks with one API:

    ours       this package (import OpenSSL from the current environment)
    pyopenssl  the cffi pyOpenSSL (run with a venv's Python that has it)
    stdlib     Python's ssl module (SSLObject over MemoryBIO)

    python bench/workloads.py BACKEND CERTDIR [--quick]
    python bench/workloads.py BACKEND CERTDIR --repeat WORKLOAD N

The first form prints one JSON object: seconds per operation for each
workload (the best of several repeats). run.py drives all three and prints
the ratios. The second runs one workload N times and prints nothing, for
instructions.py, which counts the instructions under callgrind. All
workloads use memory BIOs, so they measure the TLS stacks and their Python
bindings, not the network.
"""

import json
import os
import sys
import time


# ------------------------------------------------------------------------
# The two ways of driving a TLS pair in memory
# ------------------------------------------------------------------------

class PyOpenSSLPair:
    """A client and a server Connection on memory BIOs (pyOpenSSL API)."""

    def __init__(self, backend, tls12=False, session=None):
        from OpenSSL import SSL

        self.SSL = SSL
        self.server = SSL.Connection(backend.server_ctx, None)
        self.server.set_accept_state()
        ctx = backend.client_ctx12 if tls12 else backend.client_ctx
        self.client = SSL.Connection(ctx, None)
        if session is not None:
            self.client.set_session(session)
        self.client.set_connect_state()

    def pump(self):
        SSL = self.SSL
        moved = True
        while moved:
            moved = False
            for a, b in ((self.client, self.server), (self.server, self.client)):
                try:
                    data = a.bio_read(65536)
                except SSL.WantReadError:
                    continue
                b.bio_write(data)
                moved = True

    def handshake(self):
        SSL = self.SSL
        client_done = server_done = False
        while not (client_done and server_done):
            if not client_done:
                try:
                    self.client.do_handshake()
                    client_done = True
                except SSL.WantReadError:
                    pass
            if not server_done:
                try:
                    self.server.do_handshake()
                    server_done = True
                except SSL.WantReadError:
                    pass
            self.pump()

    def session(self):
        return self.client.get_session()

    def send_to_server(self, data):
        self.client.send(data)
        # The server reads what the client wrote: move it over in one go.
        self.server.bio_write(self.client.bio_read(1 << 20))

    def server_recv(self, n):
        return self.server.recv(n)

    def round_trip(self, data):
        client, server = self.client, self.server
        client.send(data)
        server.bio_write(client.bio_read(65536))
        server.send(server.recv(65536))
        client.bio_write(server.bio_read(65536))
        return client.recv(65536)

    def getters(self):
        c = self.client
        c.get_cipher_name()
        c.pending()
        c.get_protocol_version_name()


class StdlibPair:
    """A client and a server SSLObject over MemoryBIOs (stdlib ssl)."""

    def __init__(self, backend, tls12=False, session=None):
        import ssl

        self.ssl = ssl
        self.s_in, self.s_out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.c_in, self.c_out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.server = backend.server_ctx.wrap_bio(
            self.s_in, self.s_out, server_side=True
        )
        ctx = backend.client_ctx12 if tls12 else backend.client_ctx
        self.client = ctx.wrap_bio(
            self.c_in, self.c_out, server_side=False, session=session
        )

    def pump(self):
        moved = True
        while moved:
            moved = False
            if self.c_out.pending:
                self.s_in.write(self.c_out.read())
                moved = True
            if self.s_out.pending:
                self.c_in.write(self.s_out.read())
                moved = True

    def handshake(self):
        ssl = self.ssl
        client_done = server_done = False
        while not (client_done and server_done):
            if not client_done:
                try:
                    self.client.do_handshake()
                    client_done = True
                except ssl.SSLWantReadError:
                    pass
            if not server_done:
                try:
                    self.server.do_handshake()
                    server_done = True
                except ssl.SSLWantReadError:
                    pass
            self.pump()

    def session(self):
        return self.client.session

    def send_to_server(self, data):
        self.client.write(data)
        self.s_in.write(self.c_out.read())

    def server_recv(self, n):
        return self.server.read(n)

    def round_trip(self, data):
        client, server = self.client, self.server
        client.write(data)
        self.s_in.write(self.c_out.read())
        server.write(server.read(65536))
        self.c_in.write(self.s_out.read())
        return client.read(65536)

    def getters(self):
        c = self.client
        c.cipher()
        c.pending()
        c.version()


# ------------------------------------------------------------------------
# Backends: contexts configured the same way
# ------------------------------------------------------------------------

class PyOpenSSLBackend:
    Pair = PyOpenSSLPair

    def __init__(self, certdir):
        from OpenSSL import SSL

        self.server_ctx = SSL.Context(SSL.TLS_METHOD)
        self.server_ctx.use_certificate_file(os.path.join(certdir, "cert.pem"))
        self.server_ctx.use_privatekey_file(os.path.join(certdir, "key.pem"))
        self.server_ctx.set_session_id(b"bench")
        self.server_ctx.set_session_cache_mode(SSL.SESS_CACHE_SERVER)
        self.client_ctx = SSL.Context(SSL.TLS_METHOD)
        self.client_ctx12 = SSL.Context(SSL.TLS_METHOD)
        self.client_ctx12.set_max_proto_version(SSL.TLS1_2_VERSION)
        self.client_ctx12.set_session_cache_mode(SSL.SESS_CACHE_CLIENT)


class StdlibBackend:
    Pair = StdlibPair

    def __init__(self, certdir):
        import ssl

        self.server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_ctx.load_cert_chain(
            os.path.join(certdir, "cert.pem"), os.path.join(certdir, "key.pem")
        )
        self.client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.client_ctx.check_hostname = False
        self.client_ctx.verify_mode = ssl.CERT_NONE
        self.client_ctx12 = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.client_ctx12.check_hostname = False
        self.client_ctx12.verify_mode = ssl.CERT_NONE
        self.client_ctx12.maximum_version = ssl.TLSVersion.TLSv1_2


# ------------------------------------------------------------------------
# Workloads
# ------------------------------------------------------------------------

def best_time(fn, number, repeat):
    """Seconds per call of fn(): the best of `repeat` runs of `number`."""
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = (time.perf_counter() - start) / number
        best = elapsed if best is None else min(best, elapsed)
    return best


def workloads(backend):
    """The workloads, as {name: callable doing one operation}; the setup
    (sessions, established pairs) is done here, outside the operations."""
    Pair = backend.Pair
    first = Pair(backend, tls12=True)
    first.handshake()
    session = first.session()
    pair = Pair(backend)
    pair.handshake()
    block = os.urandom(16384)
    small = os.urandom(64)

    def bulk():
        pair.send_to_server(block)
        got = 0
        while got < len(block):
            got += len(pair.server_recv(16384))

    return {
        "handshake TLS 1.3": lambda: Pair(backend).handshake(),
        "handshake TLS 1.2": lambda: Pair(backend, tls12=True).handshake(),
        "resumed handshake TLS 1.2": lambda: Pair(
            backend, tls12=True, session=session).handshake(),
        "16 KiB bulk write": bulk,
        "64-byte round trip": lambda: pair.round_trip(small),
        "3 cheap getters": pair.getters,
    }


# How many operations a timing repeat runs, per workload.
COUNTS = {
    "handshake TLS 1.3": 100,
    "handshake TLS 1.2": 100,
    "resumed handshake TLS 1.2": 300,
    "16 KiB bulk write": 3000,
    "64-byte round trip": 20000,
    "3 cheap getters": 100000,
}


def run(backend, quick):
    scale = 0.2 if quick else 1.0
    return {
        name: best_time(fn, max(1, int(COUNTS[name] * scale)), 5)
        for name, fn in workloads(backend).items()
    }


def main(argv):
    backend_name, certdir = argv[1], argv[2]
    quick = "--quick" in argv
    repeat = None
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeat = (argv[i + 1], int(argv[i + 2]))
    if backend_name == "stdlib":
        import ssl

        backend = StdlibBackend(certdir)
        where = ssl.__file__
        version = ssl.OPENSSL_VERSION
    else:
        import OpenSSL
        from OpenSSL import SSL

        backend = PyOpenSSLBackend(certdir)
        where = OpenSSL.__file__
        version = SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode()
    if repeat is not None:
        fn = workloads(backend)[repeat[0]]
        for _ in range(repeat[1]):
            fn()
        return
    results = run(backend, quick)
    print(json.dumps({
        "backend": backend_name,
        "module": where,
        "openssl": version,
        "python": sys.version.split()[0],
        "seconds_per_op": results,
    }))


if __name__ == "__main__":
    main(sys.argv)
