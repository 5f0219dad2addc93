"""
A small program that uses the typed API, for checking the type stubs with
a type checker (it is not collected by pytest, whose files start with
test_; tests/test_stubs.py runs it as a plain program):

    mypy --strict tests/stubs_example.py        # with src/ on MYPYPATH
    PYTHONPATH=src python3 tests/stubs_example.py

It builds a CA and a server certificate, runs a TLS handshake between two
memory-BIO Connections with verify, SNI and ALPN callbacks, and touches
the pyOpenSSL 0.13 names, so that each of them is checked against the
stubs. The functions carry explicit types, so that the checker compares
the stubs' types with what the code expects (mypy's reveal_type output is
not needed).
"""

from __future__ import annotations

import datetime
from typing import Any, List, Optional

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from OpenSSL import SSL, crypto, rand


def make_cert(
    key: crypto.PKey, cn: str, issuer: Optional[crypto.X509] = None,
    issuer_key: Optional[crypto.PKey] = None,
) -> crypto.X509:
    cert = crypto.X509()
    cert.set_version(2)
    cert.set_serial_number(1 if issuer is None else 2)
    subject: crypto.X509Name = cert.get_subject()
    subject.CN = cn
    cn_back: Optional[str] = subject.CN
    assert cn_back == cn
    cert.gmtime_adj_notBefore(-60)
    cert.gmtime_adj_notAfter(3600)
    cert.set_issuer(issuer.get_subject() if issuer else subject)
    cert.set_pubkey(key)
    cert.add_extensions([
        crypto.X509Extension(
            b"basicConstraints", True,
            b"CA:TRUE" if issuer is None else b"CA:FALSE",
        ),
    ])
    cert.sign(issuer_key or key, "sha256")
    return cert


def pump(a: SSL.Connection, b: SSL.Connection) -> None:
    """Move TLS data between two memory-BIO connections."""
    for src, dst in ((a, b), (b, a)):
        try:
            data: bytes = src.bio_read(65536)
        except SSL.WantReadError:
            continue
        written: int = dst.bio_write(data)
        assert written == len(data)


def handshake(client: SSL.Connection, server: SSL.Connection) -> None:
    for _ in range(20):
        done = 0
        for conn in (client, server):
            try:
                conn.do_handshake()
                done += 1
            except SSL.WantReadError:
                pass
        if done == 2:
            return
        pump(client, server)
    raise AssertionError("no handshake")


def main() -> None:
    ca_key = crypto.PKey()
    ca_key.generate_key(crypto.TYPE_RSA, 2048)
    ca = make_cert(ca_key, "CA")
    key = crypto.PKey.from_cryptography_key(
        ec.generate_private_key(ec.SECP256R1())
    )
    cert = make_cert(key, "localhost", ca, ca_key)

    pem: bytes = crypto.dump_certificate(crypto.FILETYPE_PEM, cert)
    again: crypto.X509 = crypto.load_certificate(crypto.FILETYPE_PEM, pem)
    as_crypto: x509.Certificate = again.to_cryptography()
    assert crypto.X509.from_cryptography(as_crypto).get_serial_number() == 2
    expired: bool = cert.has_expired()
    assert not expired

    store = crypto.X509Store()
    store.add_cert(ca)
    store.set_time(datetime.datetime.now())
    chain: List[crypto.X509] = crypto.X509StoreContext(
        store, cert
    ).get_verified_chain()
    assert len(chain) == 2

    # pyOpenSSL 0.13 names.
    legacy: crypto.X509 = crypto.X509Type()
    assert isinstance(legacy, crypto.X509)
    reason_names: List[bytes] = crypto.Revoked().all_reasons()
    assert b"removeFromCRL" in reason_names
    signature: bytes = crypto.sign(ca_key, b"data", "sha256")
    crypto.verify(ca, signature, b"data", "sha256")
    seeded: int = rand.status()
    assert seeded in (0, 1)

    seen: List[Optional[bytes]] = []

    def servername(conn: SSL.Connection) -> None:
        seen.append(conn.get_servername())

    def select(conn: SSL.Connection, offered: List[bytes]) -> bytes:
        return offered[0]

    def verify(
        conn: SSL.Connection, x509obj: crypto.X509, errnum: int,
        depth: int, ok: int,
    ) -> bool:
        return bool(ok)

    server_ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    server_ctx.use_certificate(cert)
    server_ctx.use_privatekey(key)
    server_ctx.check_privatekey()
    server_ctx.set_tlsext_servername_callback(servername)
    server_ctx.set_alpn_select_callback(select)
    previous: int = server_ctx.set_timeout(300)
    assert previous == 7200
    mask: int = server_ctx.set_options(SSL.OP_NO_TLSv1)
    assert mask & SSL.OP_NO_TLSv1

    client_ctx = SSL.ContextType(SSL.TLS_CLIENT_METHOD)
    cert_store = client_ctx.get_cert_store()
    assert cert_store is not None
    cert_store.add_cert(ca)
    client_ctx.set_verify(SSL.VERIFY_PEER, verify)
    client_ctx.set_alpn_protos([b"h2", b"http/1.1"])

    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    client = SSL.Connection(client_ctx)
    client.set_connect_state()
    client.set_tlsext_host_name(b"localhost")
    handshake(client, server)

    assert seen == [b"localhost"]
    proto: bytes = client.get_alpn_proto_negotiated()
    assert proto == b"h2"
    peer: Optional[crypto.X509] = client.get_peer_certificate()
    assert peer is not None
    peer_crypto: Optional[x509.Certificate] = client.get_peer_certificate(
        as_cryptography=True
    )
    assert peer_crypto is not None
    names: List[x509.Name] = server.get_client_ca_list(as_cryptography=True)
    assert names == []
    version: str = client.get_protocol_version_name()
    state: str = client.state_string()
    state_bytes: bytes = client.get_state_string()
    assert state.encode() == state_bytes
    wants: int = client.want_read()
    assert wants in (0, 1)
    timeout: Optional[float] = client.DTLSv1_get_timeout()
    assert timeout is None

    sent: int = client.sendall(b"ping")
    pump(client, server)
    assert server.recv(1024) == b"ping"
    session: Optional[SSL.Session] = client.get_session()
    assert session is not None
    anything: Any = client.get_app_data()
    assert anything is None
    print("ok:", version, sent)


if __name__ == "__main__":
    main()
