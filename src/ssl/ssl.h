/*
 * ssl.h -- private header of the OpenSSL.SSL extension module.
 *
 *   module.c        module state, constants, exceptions, __all__
 *   context.c       the Context type (configuration, SSL_CTX)
 *   callbacks.c     every OpenSSL -> Python trampoline and the capture of
 *                   exceptions raised inside callbacks
 *   connection.c    the Connection type: lifecycle, getters, setters
 *   io.c            the only code that runs SSL I/O (handshake, read,
 *                   write, shutdown, DTLS), with the GIL released, and the
 *                   one mapping of SSL errors to exceptions
 *   session.c       the Session type
 *   lock.c          the Context and Connection locks
 *
 * Reference conventions: functions returning PyObject* return new
 * references. Functions that run without the GIL say so.
 */
#ifndef PYOSSL_SSL_H
#define PYOSSL_SSL_H

#include "../common/pyossl.h"
#include "../common/crypto_capi.h"
#include "../common/passphrase.h"
#include "lock.h"

/* pyOpenSSL's protocol method selectors. */
enum {
    SSLv2_METHOD = 1,
    SSLv3_METHOD = 2,
    SSLv23_METHOD = 3,
    TLSv1_METHOD = 4,
    TLSv1_1_METHOD = 5,
    TLSv1_2_METHOD = 6,
    TLS_METHOD = 7,
    TLS_SERVER_METHOD = 8,
    TLS_CLIENT_METHOD = 9,
    DTLS_METHOD = 10,
    DTLS_SERVER_METHOD = 11,
    DTLS_CLIENT_METHOD = 12,
};

typedef struct ssl_state {
    PyObject *crypto_module;            /* keeps `crypto` alive */
    const pyossl_crypto_capi *crypto;   /* OpenSSL.crypto's C API */
    PyTypeObject *Context_Type;
    PyTypeObject *Connection_Type;
    PyTypeObject *Session_Type;
    PyObject *Error;
    PyObject *ZeroReturnError;
    PyObject *WantReadError;
    PyObject *WantWriteError;
    PyObject *WantX509LookupError;
    PyObject *SysCallError;
    PyObject *ErrorValueError;          /* SSL.Error + ValueError */
    PyObject *TypeAttributeError;       /* TypeError + AttributeError */
    PyObject *NO_OVERLAPPING_PROTOCOLS;
    PyObject *errorcode;                /* errno.errorcode */
} ssl_state;

extern PyModuleDef ssl_module_def;

static inline ssl_state *
ssl_state_of_type(PyTypeObject *type)
{
    return (ssl_state *)pyossl_type_get_state(type, &ssl_module_def);
}

#define SSL_RAISE(st) pyossl_raise_error_queue((st)->Error)

/* ------------------------------------------------------------------------
 * Context
 * --------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    SSL_CTX *ctx;                /* NULL until __init__ */
    ssl_state *state;
    pyossl_rwlock lock;          /* see lock.c */
    int lock_ready;
    PyObject *app_data;
    PyObject *verify_cb;         /* set_verify; snapshot by each Connection */
    PyObject *info_cb;
    PyObject *passwd_cb;         /* callable or NULL */
    PyObject *passwd_userdata;
    pyossl_passphrase passwd;    /* the helper behind SSL_CTX's passwd cb */
    PyObject *servername_cb;
    PyObject *alpn_select_cb;
    PyObject *ocsp_cb;           /* server or client callback */
    PyObject *ocsp_data;
    int ocsp_server;             /* which one ocsp_cb is */
    PyObject *keylog_cb;
    PyObject *cookie_generate_cb;
    PyObject *cookie_verify_cb;
    PyObject *capsule;           /* _context, made once */
    PyObject *weakreflist;
} ContextObject;

int ssl_context_register(PyObject *module, ssl_state *st);

/* The Context behind an SSL_CTX (borrowed), or NULL. */
static inline ContextObject *
ssl_context_of_ctx(const SSL_CTX *ctx)
{
    return ctx ? (ContextObject *)SSL_CTX_get_app_data(ctx) : NULL;
}

/* Exclusive hold of the Context lock around a mutation. */
#define CONTEXT_MUTATE_BEGIN(self)                                           \
    do {                                                                     \
        int mutate_token_ = pyossl_rwlock_acquire_exclusive(&(self)->lock);
#define CONTEXT_MUTATE_END(self)                                             \
        pyossl_rwlock_release_exclusive(&(self)->lock, mutate_token_);      \
    } while (0)

/* ------------------------------------------------------------------------
 * Connection
 * --------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    SSL *ssl;                    /* NULL until __init__ */
    ssl_state *state;
    ContextObject *context;      /* current Context (set_context changes) */
    ContextObject *session_context;  /* the one SSL_new saw: OpenSSL keeps
                                        using it for the session cache */
    PyObject *socket;            /* NULL in memory-BIO mode */
    BIO *into_ssl;               /* memory BIOs, owned by ssl */
    BIO *from_ssl;
    PyObject *app_data;
    PyObject *verify_cb;         /* the verify callback this SSL uses */
    PyObject *info_cb;           /* Connection.set_info_callback */
    PyObject *cookie_generate_cb;    /* snapshots, as pyOpenSSL does */
    PyObject *cookie_verify_cb;
    PyObject *pending;           /* list of exceptions raised in callbacks,
                                    oldest first; NULL when empty */
    PyObject *cookie_pending;    /* the same for the DTLS cookie callbacks,
                                    raised by DTLSv1_listen() only */
    PyObject *alpn_selected;     /* keeps the ALPN choice alive until
                                    OpenSSL has copied it */
    pyossl_reclock lock;
    int lock_ready;
    ContextObject *io_ctx;       /* the Context an I/O section holds shared
                                    while the GIL is released, for the
                                    socket filter BIO (sockbio.c) */
    struct io_section *io_section;   /* the innermost I/O section running
                                        (io.c), or NULL */
    int io_depth;                /* SSL calls of this connection running
                                    (io.c); > 0 seen under the lock means a
                                    callback of this very connection */
    PyObject *dict;
    PyObject *weakreflist;
} ConnectionObject;

int ssl_connection_register(PyObject *module, ssl_state *st);

/* The Connection of an SSL (borrowed), or NULL while it is torn down. */
static inline ConnectionObject *
ssl_connection_of_ssl(const SSL *ssl)
{
    return ssl ? (ConnectionObject *)SSL_get_app_data(ssl) : NULL;
}

/* ------------------------------------------------------------------------
 * Callbacks (callbacks.c)
 * --------------------------------------------------------------------- */

/* Record the current Python exception on `conn` (to be raised by
 * ssl_raise_pending after the OpenSSL call returns). Needs the GIL. If conn
 * is NULL, report the exception as unraisable. */
void ssl_capture_exception(ConnectionObject *conn);

/* If callbacks of `conn` recorded exceptions: drain the OpenSSL error queue,
 * raise the oldest and return -1 (the others stay for later calls).
 * Otherwise 0. */
int ssl_raise_pending(ConnectionObject *conn);

/* The same two for the DTLS cookie callbacks, whose exceptions only
 * DTLSv1_listen() raises (API.md 2.1, 3.2 row 20). */
void ssl_capture_cookie_exception(ConnectionObject *conn);
int ssl_raise_cookie_pending(ConnectionObject *conn);

/* The trampolines, installed by context.c and connection.c. */
int ssl_verify_trampoline(int preverify_ok, X509_STORE_CTX *store_ctx);
void ssl_info_trampoline(const SSL *ssl, int where, int ret);
int ssl_servername_trampoline(SSL *ssl, int *alert, void *arg);
int ssl_alpn_select_trampoline(SSL *ssl, const unsigned char **out,
                               unsigned char *outlen, const unsigned char *in,
                               unsigned int inlen, void *arg);
int ssl_ocsp_trampoline(SSL *ssl, void *arg);
void ssl_keylog_trampoline(const SSL *ssl, const char *line);
int ssl_cookie_generate_trampoline(SSL *ssl, unsigned char *cookie,
                                   unsigned int *cookie_len);
int ssl_cookie_verify_trampoline(SSL *ssl, const unsigned char *cookie,
                                 unsigned int cookie_len);

/* ------------------------------------------------------------------------
 * I/O (io.c)
 * --------------------------------------------------------------------- */

extern PyMethodDef ssl_connection_io_methods[];

/* Map the result `ret` of an SSL call on `conn` to an exception (raised
 * callback exceptions first), as pyOpenSSL does. `sys_errno` is errno as
 * it was right after the call. Returns NULL. */
PyObject *ssl_raise_io_error(ConnectionObject *conn, int ret, int ssl_err,
                             int sys_errno);

/* Check that a Connection has been initialised; 0 or -1 with an exception
 * set. */
int ssl_connection_check(ConnectionObject *self);

/* With the Connection lock held, after SSL_set_SSL_CTX() switched `conn`
 * to `ctx`: the I/O sections of `conn` that are running a handshake (a
 * servername callback calling set_context()) now hold `ctx` shared
 * instead of the Context they held, since the rest of the handshake reads
 * the new SSL_CTX. */
void ssl_io_switch_context(ConnectionObject *conn, ContextObject *ctx);

/* With the Connection lock held: refuse (SSL.Error 'should not have been
 * called', -1) a call that restarts or replaces the handshake state --
 * do_handshake(), DTLSv1_listen(), set_session(), set_accept_state() ...
 * -- when it comes from a callback that an SSL call of this same
 * connection is running. OpenSSL's state machine is not re-entrant: such
 * calls crash OpenSSL 3.0. 0 if the call may go on. */
int ssl_connection_refuse_nested(ConnectionObject *self, const char *what);

/* Hold the Connection lock around a call into its SSL (connection.c). */
#define CONNECTION_BEGIN(self)                                               \
    do {                                                                     \
        if (ssl_connection_check(self) < 0)                                  \
            return NULL;                                                     \
        pyossl_reclock_acquire(&(self)->lock);                               \
    } while (0)
#define CONNECTION_END(self) pyossl_reclock_release(&(self)->lock)

/* membio.c: a memory BIO for Connections without a socket, behaving as
 * BIO_s_mem() without its zeroing and reallocation costs. NULL with the
 * error queue set. */
BIO *ssl_memory_bio_new(void);

/* sockbio.c: the BIO chain for a socket Connection: a filter that lets go
 * of the Context lock while waiting in the kernel, in front of a socket
 * BIO on `fd` (not closed with the BIO). NULL with the error queue set. */
BIO *ssl_socket_bio_new(ConnectionObject *conn, int fd);

/* ------------------------------------------------------------------------
 * Session (session.c)
 * --------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    SSL_SESSION *session;        /* NULL for a bare Session() */
    PyObject *context;           /* the Context it came from */
    PyObject *weakreflist;
} SessionObject;

int ssl_session_register(PyObject *module, ssl_state *st);
PyObject *ssl_session_wrap(ssl_state *st, SSL_SESSION *session,
                           PyObject *context);   /* takes the reference */

/* ------------------------------------------------------------------------
 * Helpers shared by context.c and connection.c
 * --------------------------------------------------------------------- */

/* Build the ALPN wire format from a list of bytes (ValueError for an empty
 * list, TypeError for a non-bytes element, Error+ValueError for an empty
 * one). New bytes or NULL. */
PyObject *ssl_alpn_wire(ssl_state *st, PyObject *protos);

/* A list of X509 objects (or cryptography certificates) for a stack. */
PyObject *ssl_cert_stack_to_list(ssl_state *st, STACK_OF(X509) *certs,
                                 int as_cryptography);

/* Parse the keyword-only `as_cryptography` flag of the certificate getters;
 * -1 on error. */
int ssl_parse_as_cryptography(PyObject *args, PyObject *kwargs,
                              const char *fname);

#endif /* PYOSSL_SSL_H */
