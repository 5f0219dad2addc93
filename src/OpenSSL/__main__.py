"""
``python -m OpenSSL``: a self-contained TLS round trip on this machine.

It makes a certificate authority and a server certificate for
``localhost`` in memory, serves TLS on 127.0.0.1 in a thread, connects to
it with certificate verification and SNI, echoes a message, and prints
what was negotiated. Nothing is written to disk and nothing leaves the
loopback interface.
"""

import socket
import struct
import sys
import threading
from typing import List, Optional, Tuple

from OpenSSL import SSL, crypto, version

MESSAGE = b"hello from pyOpenSSL, written in C"


def make_key() -> crypto.PKey:
    key = crypto.PKey()
    key.generate_key(crypto.TYPE_RSA, 2048)
    return key


def make_certificate(
    key: crypto.PKey,
    common_name: str,
    issuer: Optional[Tuple[crypto.PKey, crypto.X509]] = None,
    ca: bool = False,
    serial: int = 1,
) -> crypto.X509:
    """A certificate for `key`, signed by `issuer` ((key, cert)) or by
    itself."""
    cert = crypto.X509()
    cert.set_version(2)
    cert.set_serial_number(serial)
    cert.get_subject().O = "pyOpenSSL demo"
    cert.get_subject().CN = common_name
    cert.gmtime_adj_notBefore(-60)
    cert.gmtime_adj_notAfter(60 * 60)
    cert.set_pubkey(key)
    issuer_key, issuer_cert = issuer if issuer else (key, cert)
    cert.set_issuer(issuer_cert.get_subject())
    if ca:
        extensions = [
            crypto.X509Extension(b"basicConstraints", True, b"CA:TRUE"),
            crypto.X509Extension(b"keyUsage", True, b"keyCertSign, cRLSign"),
        ]
    else:
        extensions = [
            crypto.X509Extension(b"basicConstraints", False, b"CA:FALSE"),
            crypto.X509Extension(
                b"subjectAltName", False, b"DNS:localhost, IP:127.0.0.1"
            ),
        ]
    cert.add_extensions(extensions)
    cert.sign(issuer_key, "sha256")
    return cert


def blocking_with_deadline(sock: socket.socket, seconds: int = 10) -> None:
    """Blocking mode, as TLS code without its own event loop expects, but
    with kernel-level send/receive timeouts so that nothing can hang."""
    sock.setblocking(True)
    timeval = struct.pack("ll", seconds, 0)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)


def serve_once(
    listener: socket.socket,
    context: SSL.Context,
    errors: List[BaseException],
) -> None:
    """Accept one TLS connection and echo what it sends."""
    try:
        sock, _ = listener.accept()
        with sock:
            blocking_with_deadline(sock)
            conn = SSL.Connection(context, sock)
            conn.set_accept_state()
            conn.do_handshake()
            conn.sendall(conn.recv(1024))
            conn.shutdown()
    except Exception as exc:  # reported by the main thread
        errors.append(exc)


def main() -> int:
    ca_key = make_key()
    ca_cert = make_certificate(ca_key, "pyOpenSSL demo CA", ca=True)
    server_key = make_key()
    server_cert = make_certificate(
        server_key, "localhost", issuer=(ca_key, ca_cert), serial=2
    )

    server_context = SSL.Context(SSL.TLS_SERVER_METHOD)
    server_context.use_privatekey(server_key)
    server_context.use_certificate(server_cert)
    server_context.check_privatekey()
    names_seen: List[Optional[bytes]] = []
    server_context.set_tlsext_servername_callback(
        lambda conn: names_seen.append(conn.get_servername())
    )

    client_context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    store = client_context.get_cert_store()
    if store is None:
        raise RuntimeError("the client context has no certificate store")
    store.add_cert(ca_cert)
    client_context.set_verify(SSL.VERIFY_PEER)

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    errors: List[BaseException] = []
    thread = threading.Thread(
        target=serve_once, args=(listener, server_context, errors)
    )
    thread.start()

    with socket.create_connection(listener.getsockname(), timeout=10) as sock:
        blocking_with_deadline(sock)
        client = SSL.Connection(client_context, sock)
        client.set_tlsext_host_name(b"localhost")
        client.set_connect_state()
        client.do_handshake()
        client.sendall(MESSAGE)
        echoed = client.recv(1024)
        peer = client.get_peer_certificate()
        try:
            client.shutdown()
        except SSL.Error:
            pass
    thread.join(10)
    listener.close()
    if errors:
        raise errors[0]
    if peer is None or names_seen[0] is None:
        raise RuntimeError("no peer certificate or no server name")
    server_name = names_seen[0]

    def name(x509name: crypto.X509Name) -> str:
        return ", ".join(
            "%s=%s" % (k.decode(), v.decode())
            for k, v in x509name.get_components()
        )

    print("pyOpenSSL %s (C implementation %s)" % (
        version.__version__, version.__implementation_version__))
    print("OpenSSL:  %s" % SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode())
    print("server:   127.0.0.1:%d, server name (SNI) received: %s" % (
        port, server_name.decode()))
    print("protocol: %s" % client.get_protocol_version_name())
    print("cipher:   %s (%s bits)" % (
        client.get_cipher_name(), client.get_cipher_bits()))
    print("verified: peer certificate subject: %s" % name(peer.get_subject()))
    print("          issuer: %s" % name(peer.get_issuer()))
    print("echo:     %r" % echoed)
    if echoed != MESSAGE:
        print("the echo does not match what was sent", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
