"""
The 26.x callbacks on a Context shared by threads (API.md 3.4): handshakes
on sockets in several threads run the ALPN, OCSP, key log and info
callbacks while another thread keeps replacing them and the TLS 1.3 cipher
suites. Every handshake completes with a callback that was current at some
point; nothing crashes or is freed while in use.
"""

import threading

from ssl26helpers import (
    client_context,
    recv_all,
    server_context,
    socket_handshake,
    socket_pair,
)


def test_callbacks_replaced_while_threads_handshake(server):
    sctx = server_context(server)
    stop = threading.Event()
    errors = []
    generations = []

    def mutator():
        i = 0
        while not stop.is_set():
            i += 1
            sctx.set_alpn_select_callback(lambda conn, offered: offered[0])
            sctx.set_keylog_callback(lambda conn, line, i=i: None)
            sctx.set_ocsp_server_callback(lambda conn, data: b"R%d" % data,
                                          i)
            sctx.set_info_callback(lambda conn, where, ret, i=i: None)
            sctx.set_tls13_ciphersuites(
                b"TLS_AES_128_GCM_SHA256" if i % 2
                else b"TLS_AES_256_GCM_SHA384")
        generations.append(i)

    def worker(rounds):
        try:
            for _ in range(rounds):
                stapled = []
                cctx = client_context()
                cctx.set_alpn_protos([b"h2", b"http/1.1"])
                cctx.set_ocsp_client_callback(
                    lambda conn, ocsp, data: stapled.append(ocsp) or True)
                cctx.set_keylog_callback(lambda conn, line: None)
                s, c = socket_pair(sctx, cctx)
                try:
                    c.request_ocsp()
                    socket_handshake(s, c)
                    assert c.get_alpn_proto_negotiated() == b"h2"
                    assert len(stapled) == 1
                    assert stapled[0].startswith(b"R")
                    c.send(b"ping")
                    assert recv_all(s, 4) == b"ping"
                finally:
                    s._socket.close()
                    c._socket.close()
        except Exception as e:      # reported below, with the others
            errors.append(e)

    m = threading.Thread(target=mutator)
    m.start()
    try:
        workers = [threading.Thread(target=worker, args=(20,))
                   for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
    finally:
        stop.set()
        m.join(60)
    assert errors == []
    assert not any(w.is_alive() for w in workers)
    assert generations and generations[0] > 0
