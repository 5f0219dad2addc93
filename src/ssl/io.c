/*
 * io.c -- the only code of OpenSSL.SSL that runs TLS I/O: handshakes,
 * reads, writes, shutdown, renegotiation and DTLS listening and timers,
 * plus the memory-BIO plumbing and the one mapping of SSL errors to
 * Python exceptions.
 *
 * Every call into the SSL goes through io_begin()/io_end():
 *   - the Connection lock is held for the whole call (connection.c);
 *   - while the handshake is not finished, the Context is held shared, so
 *     that no mutation of the SSL_CTX runs under a handshake (lock.c); on
 *     a socket the hold is let go of while the thread waits in the kernel
 *     (sockbio.c), so a stalled peer holds up nothing but its own
 *     connection; an established connection reading or writing holds
 *     nothing of the Context;
 *   - the GIL is released around the OpenSSL call when it can block (a
 *     socket) or burn CPU (a handshake, a large write); small reads and
 *     writes on memory BIOs keep it, since they take less time than
 *     handing the GIL over would.
 * SSL_get_error() and errno are read right after the call, before the GIL
 * is taken back, and mapped to exceptions in one place
 * (ssl_raise_io_error), as pyOpenSSL does.
 */
#include "ssl.h"

#include <errno.h>
#include <sys/socket.h>

/* Writes from this size up release the GIL even on memory BIOs. */
#define IO_RELEASE_GIL_BYTES 8192

/* The most plaintext one TLS/DTLS record carries: a read never returns
 * more, so recv() reads into a buffer of this size on the stack. */
#define IO_MAX_RECORD SSL3_RT_MAX_PLAIN_LENGTH

typedef struct io_section {
    ConnectionObject *conn;
    ContextObject *ctx;          /* held shared during a handshake */
    ContextObject *saved_io_ctx; /* the Connection's io_ctx before */
    struct io_section *outer;    /* the Connection's io_section before */
    PyThreadState *tstate;       /* set while the GIL is released */
} io_section;

/* How many SSL calls of io_begin()/io_end() this thread is inside. A
 * callback may call into its Connection again (Twisted calls shutdown()
 * from its info callback), but a callback that does so every time it
 * runs -- an info callback calling do_handshake() -- would nest SSL
 * calls until the C stack overflows, long before Python's recursion
 * limit notices. Past this depth the call raises RecursionError. */
#define IO_MAX_NESTING 32
static _Thread_local int io_nesting;

/* What an SSL call left behind, read before the GIL is taken back. */
typedef struct {
    int ret;
    int err;                     /* SSL_get_error(), or SSL_ERROR_NONE */
    int sys_errno;
} io_status;

int
ssl_connection_refuse_nested(ConnectionObject *self, const char *what)
{
    if (self->io_depth == 0)
        return 0;
    ERR_raise_data(ERR_LIB_SSL, ERR_R_SHOULD_NOT_HAVE_BEEN_CALLED,
                   "%s() called from a callback of the same connection",
                   what);
    SSL_RAISE(self->state);
    return -1;
}

/* `nested` names the method if it may not run inside a callback of this
 * connection (see ssl_connection_refuse_nested), NULL if it may. */
static int
io_begin(ConnectionObject *self, io_section *s, int release_gil,
         const char *nested)
{
    if (io_nesting >= IO_MAX_NESTING) {
        PyErr_SetString(PyExc_RecursionError,
                        "maximum recursion depth exceeded in OpenSSL.SSL "
                        "I/O called from callbacks");
        return -1;
    }
    pyossl_reclock_acquire(&self->lock);
    if (nested != NULL && ssl_connection_refuse_nested(self, nested) < 0) {
        pyossl_reclock_release(&self->lock);
        return -1;
    }
    io_nesting++;
    self->io_depth++;
    s->conn = self;
    s->ctx = NULL;
    s->outer = self->io_section;
    self->io_section = s;
    if (!SSL_is_init_finished(self->ssl)) {
        s->ctx = (ContextObject *)Py_NewRef(self->context);
        pyossl_rwlock_acquire_shared(&s->ctx->lock);
        release_gil = 1;
    }
    if (self->socket != NULL)
        release_gil = 1;
    /* Without the GIL, the socket filter BIO may let go of the Context
     * while it waits in the kernel (sockbio.c). */
    s->saved_io_ctx = self->io_ctx;
    self->io_ctx = release_gil ? s->ctx : NULL;
    s->tstate = release_gil ? PyEval_SaveThread() : NULL;
    return 0;
}

/* Take the GIL back in the middle of a section (for work that needs it and
 * does no I/O); the filter BIO must then keep its hands off the lock. */
static void
io_take_gil(io_section *s)
{
    if (s->tstate != NULL) {
        PyEval_RestoreThread(s->tstate);
        s->tstate = NULL;
        s->conn->io_ctx = NULL;
    }
}

static void
io_end(io_section *s)
{
    if (s->tstate != NULL)
        PyEval_RestoreThread(s->tstate);
    s->conn->io_ctx = s->saved_io_ctx;
    s->conn->io_section = s->outer;
    if (s->ctx != NULL) {
        pyossl_rwlock_release_shared(&s->ctx->lock);
        Py_DECREF(s->ctx);
    }
    s->conn->io_depth--;
    pyossl_reclock_release(&s->conn->lock);
    io_nesting--;
}

void
ssl_io_switch_context(ConnectionObject *conn, ContextObject *ctx)
{
    io_section *s;

    for (s = conn->io_section; s != NULL; s = s->outer) {
        ContextObject *old = s->ctx;
        io_section *t;
        if (old == NULL || old == ctx)
            continue;
        /* The new hold first: the handshake is never without one. */
        pyossl_rwlock_acquire_shared(&ctx->lock);
        s->ctx = (ContextObject *)Py_NewRef(ctx);
        pyossl_rwlock_release_shared(&old->lock);
        /* What the socket filter lets go of in the kernel, here and in
         * the sections around. */
        if (conn->io_ctx == old)
            conn->io_ctx = ctx;
        for (t = conn->io_section; t != NULL; t = t->outer)
            if (t->saved_io_ctx == old)
                t->saved_io_ctx = ctx;
        /* The Connection still refers to `old` (its caller drops that
         * reference afterwards): this cannot free it. */
        Py_DECREF(old);
    }
}

/* Record the outcome of an SSL call. Runs with or without the GIL. */
static inline void
io_record(io_status *st, const SSL *ssl, int ret)
{
    st->sys_errno = errno;
    st->ret = ret;
    st->err = ret > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl, ret);
}

/* ------------------------------------------------------------------------
 * Error mapping (API.md 2.1)
 * --------------------------------------------------------------------- */

static PyObject *
raise_syscall_error(ssl_state *st, int err_no, const char *text)
{
    PyObject *name, *exc;

    if (text != NULL) {
        exc = PyObject_CallFunction(st->SysCallError, "(is)", err_no, text);
    } else {
        PyObject *key = PyLong_FromLong(err_no);
        if (key == NULL)
            return NULL;
        name = PyDict_GetItemWithError(st->errorcode, key);   /* borrowed */
        Py_DECREF(key);
        if (name == NULL && PyErr_Occurred())
            return NULL;
        exc = PyObject_CallFunction(st->SysCallError, "(iO)", err_no,
                                    name ? name : Py_None);
    }
    if (exc != NULL) {
        PyErr_SetObject(st->SysCallError, exc);
        Py_DECREF(exc);
    }
    return NULL;
}

static PyObject *
raise_plain(PyObject *exc_type)
{
    pyossl_clear_errors();
    PyErr_SetNone(exc_type);
    return NULL;
}

PyObject *
ssl_raise_io_error(ConnectionObject *conn, int ret, int ssl_err,
                   int sys_errno)
{
    ssl_state *st = conn->state;
    unsigned long first;

    /* An exception a callback raised explains the failure best. */
    if (ssl_raise_pending(conn) < 0)
        return NULL;
    switch (ssl_err) {
    case SSL_ERROR_WANT_READ:
        return raise_plain(st->WantReadError);
    case SSL_ERROR_WANT_WRITE:
        return raise_plain(st->WantWriteError);
    case SSL_ERROR_ZERO_RETURN:
        return raise_plain(st->ZeroReturnError);
    case SSL_ERROR_WANT_X509_LOOKUP:
        return raise_plain(st->WantX509LookupError);
    case SSL_ERROR_SYSCALL:
        if (ERR_peek_error() == 0 || sys_errno != 0) {
            pyossl_clear_errors();
            if (ret < 0 && sys_errno != 0)
                return raise_syscall_error(st, sys_errno, NULL);
            return raise_syscall_error(st, -1, "Unexpected EOF");
        }
        return SSL_RAISE(st);
    case SSL_ERROR_SSL:
        /* OpenSSL 3 reports a ragged EOF as an SSL error; pyOpenSSL keeps
         * the SysCallError(-1, 'Unexpected EOF') programs match on. */
        first = ERR_peek_error();
        if (ERR_GET_LIB(first) == ERR_LIB_SSL &&
            ERR_GET_REASON(first) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
            pyossl_clear_errors();
            return raise_syscall_error(st, -1, "Unexpected EOF");
        }
        return SSL_RAISE(st);
    default:
        return SSL_RAISE(st);
    }
}

static inline PyObject *
raise_status(ConnectionObject *self, const io_status *st)
{
    return ssl_raise_io_error(self, st->ret, st->err, st->sys_errno);
}

/* After an SSL call that succeeded: a callback may have failed without
 * failing the call (a verify callback under VERIFY_NONE, whose verdict
 * OpenSSL ignores), and its exception is raised from the call that ran it,
 * as pyOpenSSL does (its _raise_ssl_error checks the callback helpers after
 * every call). -1 with the exception set, or 0. */
static inline int
raise_pending_after_success(ConnectionObject *self)
{
    return ssl_raise_pending(self);
}

/* ------------------------------------------------------------------------
 * Argument helpers
 * --------------------------------------------------------------------- */

/* Whether `flags` (None or an int) asks for MSG_PEEK. -1 on error. */
static int
wants_peek(PyObject *flags)
{
    long value;
    if (flags == NULL || flags == Py_None)
        return 0;
    if (!PyLong_Check(flags)) {
        PyErr_SetString(PyExc_TypeError, "flags must be an integer");
        return -1;
    }
    value = PyLong_AsLong(flags);
    if (value == -1 && PyErr_Occurred())
        return -1;
    return (value & MSG_PEEK) != 0;
}

/* A size argument: an int of at least 0. */
static int
size_arg(PyObject *obj, const char *name, Py_ssize_t *out)
{
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an integer", name);
        return -1;
    }
    *out = PyLong_AsSsize_t(obj);
    if (*out == -1 && PyErr_Occurred())
        return -1;
    if (*out < 0) {
        PyErr_Format(PyExc_ValueError, "%s must not be negative", name);
        return -1;
    }
    return 0;
}

static int
memory_bio_only(ConnectionObject *self)
{
    if (ssl_connection_check(self) < 0)
        return -1;
    if (self->into_ssl == NULL) {
        PyErr_SetString(PyExc_TypeError, "Connection sock was not None");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Handshake, renegotiation, shutdown
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(io_do_handshake_doc,
"do_handshake($self, /)\n--\n\n"
"Perform (or continue) a TLS handshake. Raises WantReadError or\n"
"WantWriteError when the transport must be serviced first, as send()\n"
"and recv() do, and re-raises an exception a callback raised.");

static PyObject *
io_do_handshake(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    io_section sec;
    io_status st;

    if (ssl_connection_check(self) < 0)
        return NULL;
    if (io_begin(self, &sec, 1, "do_handshake") < 0)
        return NULL;
    errno = 0;
    io_record(&st, self->ssl, SSL_do_handshake(self->ssl));
    io_end(&sec);
    if (st.ret <= 0)
        return raise_status(self, &st);
    if (raise_pending_after_success(self) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(io_renegotiate_doc,
"renegotiate($self, /)\n--\n\n"
"Schedule a renegotiation (TLS 1.2 and below); the next\n"
"do_handshake(), send() or recv() carries it out.\n\n"
":return: True if one was scheduled, False if one is already pending.\n"
":raises Error: if OpenSSL refuses (for instance under TLS 1.3).");

static PyObject *
io_renegotiate(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    int pending, ok = 1;
    CONNECTION_BEGIN(self);
    pending = SSL_renegotiate_pending(self->ssl);
    if (!pending)
        ok = SSL_renegotiate(self->ssl);
    CONNECTION_END(self);
    if (pending)
        Py_RETURN_FALSE;
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_TRUE;
}

PyDoc_STRVAR(io_shutdown_doc,
"shutdown($self, /)\n--\n\n"
"Send the TLS close_notify alert.\n\n"
":return: True once both sides have sent close_notify, else False (call\n"
"    recv() or shutdown() again when the transport is ready).");

static PyObject *
io_shutdown(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    io_section sec;
    io_status st;

    if (ssl_connection_check(self) < 0)
        return NULL;
    if (io_begin(self, &sec, 0, NULL) < 0)
        return NULL;
    errno = 0;
    st.ret = SSL_shutdown(self->ssl);
    st.sys_errno = errno;
    st.err = st.ret < 0 ? SSL_get_error(self->ssl, st.ret) : SSL_ERROR_NONE;
    io_end(&sec);
    if (st.ret < 0)
        return raise_status(self, &st);
    if (raise_pending_after_success(self) < 0)
        return NULL;
    return PyBool_FromLong(st.ret > 0);
}

/* ------------------------------------------------------------------------
 * Writing
 * --------------------------------------------------------------------- */

static const char *const send_kwlist[] = {"buf", "flags", NULL};

PyDoc_STRVAR(io_send_doc,
"send($self, /, buf, flags=0)\n--\n\n"
"Send data (any bytes-like object; str is accepted with a\n"
"DeprecationWarning). May write less than given; after WantReadError or\n"
"WantWriteError, call again with the same data. flags is ignored.\n\n"
":return: The number of bytes written.");

static PyObject *
io_send(ConnectionObject *self, PyObject *const *args, Py_ssize_t nargs,
        PyObject *kwnames)
{
    PyObject *argv[2];
    pyossl_bytes buf;
    io_section sec;
    io_status st;

    if (pyossl_parse_fastcall(args, nargs, kwnames, "send", send_kwlist, 1,
                              argv) < 0)
        return NULL;
    if (ssl_connection_check(self) < 0)
        return NULL;
    if (pyossl_bytes_or_text_warn(argv[0], "buf", 1, &buf) < 0)
        return NULL;
    if (buf.len > INT_MAX) {
        pyossl_bytes_release(&buf);
        PyErr_SetString(PyExc_ValueError,
                        "Cannot send more than 2**31-1 bytes at once.");
        return NULL;
    }
    if (io_begin(self, &sec, buf.len >= IO_RELEASE_GIL_BYTES, NULL) < 0) {
        pyossl_bytes_release(&buf);
        return NULL;
    }
    errno = 0;
    io_record(&st, self->ssl, SSL_write(self->ssl, buf.data, (int)buf.len));
    io_end(&sec);
    pyossl_bytes_release(&buf);
    if (st.ret <= 0)
        return raise_status(self, &st);
    if (raise_pending_after_success(self) < 0)
        return NULL;
    return PyLong_FromLong(st.ret);
}

PyDoc_STRVAR(io_sendall_doc,
"sendall($self, /, buf, flags=0)\n--\n\n"
"Send all of the data, calling SSL_write as often as needed. An error\n"
"(WantReadError and WantWriteError included) is raised at once; how much\n"
"was sent is then unknown. flags is ignored.\n\n"
":return: The number of bytes written.");

static PyObject *
io_sendall(ConnectionObject *self, PyObject *const *args, Py_ssize_t nargs,
           PyObject *kwnames)
{
    PyObject *argv[2];
    pyossl_bytes buf;
    io_section sec;
    io_status st;
    Py_ssize_t total = 0;

    if (pyossl_parse_fastcall(args, nargs, kwnames, "sendall", send_kwlist,
                              1, argv) < 0)
        return NULL;
    if (ssl_connection_check(self) < 0)
        return NULL;
    if (pyossl_bytes_or_text_warn(argv[0], "buf", 1, &buf) < 0)
        return NULL;
    st.ret = 1;
    if (io_begin(self, &sec, buf.len >= IO_RELEASE_GIL_BYTES, NULL) < 0) {
        pyossl_bytes_release(&buf);
        return NULL;
    }
    while (total < buf.len) {
        Py_ssize_t left = buf.len - total;
        int chunk = left > INT_MAX ? INT_MAX : (int)left;
        errno = 0;
        io_record(&st, self->ssl,
                  SSL_write(self->ssl, buf.data + total, chunk));
        if (st.ret <= 0)
            break;
        total += st.ret;
    }
    io_end(&sec);
    pyossl_bytes_release(&buf);
    if (st.ret <= 0)
        return raise_status(self, &st);
    if (raise_pending_after_success(self) < 0)
        return NULL;
    return PyLong_FromSsize_t(total);
}

/* ------------------------------------------------------------------------
 * Reading
 * --------------------------------------------------------------------- */

static const char *const recv_kwlist[] = {"bufsiz", "flags", NULL};

PyDoc_STRVAR(io_recv_doc,
"recv($self, /, bufsiz, flags=None)\n--\n\n"
"Receive at most bufsiz bytes of application data. flags may hold\n"
"socket.MSG_PEEK, to look at the data without consuming it; other\n"
"flags are ignored.\n\n"
":raises ZeroReturnError: once the peer has closed the TLS session.\n"
":raises SysCallError: (-1, 'Unexpected EOF') if the transport closed\n"
"    without close_notify.");

/* recv(bufsiz, MSG_PEEK): look at the data without consuming it. */
static PyObject *
io_recv_peek(ConnectionObject *self, Py_ssize_t bufsiz)
{
    char buf[IO_MAX_RECORD];
    int n = bufsiz < IO_MAX_RECORD ? (int)bufsiz : IO_MAX_RECORD;
    io_section sec;
    io_status st;

    if (io_begin(self, &sec, 0, NULL) < 0)
        return NULL;
    errno = 0;
    io_record(&st, self->ssl, SSL_peek(self->ssl, buf, n));
    io_end(&sec);
    if (st.ret <= 0)
        return raise_status(self, &st);
    if (raise_pending_after_success(self) < 0)
        return NULL;
    return PyBytes_FromStringAndSize(buf, st.ret);
}

/* recv() reads the start of a record into a small stack buffer, which is
 * all there is for small messages; what is left of a larger record is
 * then already decrypted (SSL_pending) and goes straight into the result,
 * so a 16 KiB record is copied once, not twice. */
#define IO_SMALL_READ 2048

/* Finish recv() in an I/O section that holds the GIL: read at most `size`
 * bytes into a new bytes object. Ends the section. */
static PyObject *
recv_into_new_bytes(ConnectionObject *self, io_section *sec, int size)
{
    PyObject *result = PyBytes_FromStringAndSize(NULL, size);
    io_status st;

    if (result == NULL) {
        io_end(sec);
        return NULL;
    }
    errno = 0;
    io_record(&st, self->ssl,
              SSL_read(self->ssl, PyBytes_AS_STRING(result), size));
    io_end(sec);
    if (st.ret <= 0) {
        Py_DECREF(result);
        return raise_status(self, &st);
    }
    if (st.ret < size && _PyBytes_Resize(&result, st.ret) < 0)
        return NULL;
    if (raise_pending_after_success(self) < 0) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static PyObject *
io_recv(ConnectionObject *self, PyObject *const *args, Py_ssize_t nargs,
        PyObject *kwnames)
{
    PyObject *argv[2], *result;
    char small[IO_SMALL_READ], *dest;
    Py_ssize_t bufsiz;
    io_section sec;
    io_status st;
    int peek, n, first, pending, more;

    if (pyossl_parse_fastcall(args, nargs, kwnames, "recv", recv_kwlist, 1,
                              argv) < 0)
        return NULL;
    if (size_arg(argv[0], "bufsiz", &bufsiz) < 0)
        return NULL;
    peek = wants_peek(argv[1]);
    if (peek < 0 || ssl_connection_check(self) < 0)
        return NULL;
    if (peek)
        return io_recv_peek(self, bufsiz);
    n = bufsiz < IO_MAX_RECORD ? (int)bufsiz : IO_MAX_RECORD;
    first = n < IO_SMALL_READ ? n : IO_SMALL_READ;
    if (io_begin(self, &sec, 0, NULL) < 0)
        return NULL;
    if (self->into_ssl != NULL && sec.tstate == NULL && n > IO_SMALL_READ) {
        /* Memory BIOs, with the GIL: what is waiting, decrypted or not,
         * bounds the next record, so a large one goes straight into a
         * result of about its size. */
        size_t hint = SSL_pending(self->ssl) > 0
                      ? (size_t)SSL_pending(self->ssl)
                      : BIO_ctrl_pending(self->into_ssl);
        if (hint > IO_SMALL_READ)
            return recv_into_new_bytes(self, &sec,
                                       hint < (size_t)n ? (int)hint : n);
    }
    errno = 0;
    io_record(&st, self->ssl, SSL_read(self->ssl, small, first));
    pending = st.ret == first && n > first ? SSL_pending(self->ssl) : 0;
    if (pending <= 0) {
        io_end(&sec);
        if (st.ret <= 0)
            return raise_status(self, &st);
        if (raise_pending_after_success(self) < 0)
            return NULL;
        return PyBytes_FromStringAndSize(small, st.ret);
    }
    /* The rest of the record is decrypted already: reading it is a copy,
     * done with the GIL (needed to make the bytes object anyway). */
    io_take_gil(&sec);
    more = pending < n - first ? pending : n - first;
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)first + more);
    if (result == NULL) {
        io_end(&sec);
        return NULL;
    }
    dest = PyBytes_AS_STRING(result);
    memcpy(dest, small, (size_t)first);
    errno = 0;
    io_record(&st, self->ssl, SSL_read(self->ssl, dest + first, more));
    io_end(&sec);
    if (st.ret <= 0) {
        /* Cannot happen with data pending; report it if it does. */
        Py_DECREF(result);
        return raise_status(self, &st);
    }
    if (st.ret < more &&
        _PyBytes_Resize(&result, (Py_ssize_t)first + st.ret) < 0)
        return NULL;
    if (raise_pending_after_success(self) < 0) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static const char *const recv_into_kwlist[] = {"buffer", "nbytes", "flags",
                                               NULL};

PyDoc_STRVAR(io_recv_into_doc,
"recv_into($self, /, buffer, nbytes=None, flags=None)\n--\n\n"
"Receive data straight into a writable buffer (no intermediate copy):\n"
"at most nbytes bytes, or as many as the buffer holds. MSG_PEEK is\n"
"honoured, other flags ignored.\n\n"
":return: The number of bytes received.");

static PyObject *
io_recv_into(ConnectionObject *self, PyObject *const *args, Py_ssize_t nargs,
             PyObject *kwnames)
{
    PyObject *argv[3];
    Py_buffer view;
    Py_ssize_t nbytes;
    io_section sec;
    io_status st;
    int peek, n;

    if (pyossl_parse_fastcall(args, nargs, kwnames, "recv_into",
                              recv_into_kwlist, 1, argv) < 0)
        return NULL;
    peek = wants_peek(argv[2]);
    if (peek < 0 || ssl_connection_check(self) < 0)
        return NULL;
    if (PyObject_GetBuffer(argv[0], &view, PyBUF_WRITABLE) < 0) {
        if (PyErr_ExceptionMatches(PyExc_BufferError)) {
            /* pyOpenSSL fails with TypeError on a read-only buffer. */
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "buffer must be a writable bytes-like object, "
                         "not %.100s", Py_TYPE(argv[0])->tp_name);
        }
        return NULL;
    }
    nbytes = view.len;
    if (argv[1] != NULL && argv[1] != Py_None) {
        Py_ssize_t asked;
        if (size_arg(argv[1], "nbytes", &asked) < 0) {
            PyBuffer_Release(&view);
            return NULL;
        }
        if (asked < nbytes)
            nbytes = asked;
    }
    n = nbytes > INT_MAX ? INT_MAX : (int)nbytes;
    if (io_begin(self, &sec, n >= IO_RELEASE_GIL_BYTES, NULL) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    errno = 0;
    io_record(&st, self->ssl, peek ? SSL_peek(self->ssl, view.buf, n)
                                   : SSL_read(self->ssl, view.buf, n));
    io_end(&sec);
    PyBuffer_Release(&view);
    if (st.ret <= 0)
        return raise_status(self, &st);
    if (raise_pending_after_success(self) < 0)
        return NULL;
    return PyLong_FromLong(st.ret);
}

/* ------------------------------------------------------------------------
 * Memory BIOs
 * --------------------------------------------------------------------- */

/* pyOpenSSL's _handle_bio_errors(). */
static PyObject *
raise_bio_error(ConnectionObject *self, BIO *bio)
{
    if (BIO_should_retry(bio)) {
        if (BIO_should_read(bio))
            return raise_plain(self->state->WantReadError);
        if (BIO_should_write(bio))
            return raise_plain(self->state->WantWriteError);
        pyossl_clear_errors();
        if (BIO_should_io_special(bio))
            PyErr_SetString(PyExc_ValueError, "BIO_should_io_special");
        else
            PyErr_SetString(PyExc_ValueError, "unknown bio failure");
        return NULL;
    }
    return SSL_RAISE(self->state);
}

static const char *const bio_read_kwlist[] = {"bufsiz", NULL};

PyDoc_STRVAR(io_bio_read_doc,
"bio_read($self, /, bufsiz)\n--\n\n"
"Take at most bufsiz bytes of TLS data that the connection wants to\n"
"send out of its outgoing memory BIO.\n\n"
":raises WantReadError: if there is none.\n"
":raises TypeError: for a socket-based connection.");

static PyObject *
io_bio_read(ConnectionObject *self, PyObject *const *args, Py_ssize_t nargs,
            PyObject *kwnames)
{
    PyObject *argv[1], *result;
    Py_ssize_t bufsiz;
    size_t pending;
    int n, got;

    if (pyossl_parse_fastcall(args, nargs, kwnames, "bio_read",
                              bio_read_kwlist, 1, argv) < 0)
        return NULL;
    if (memory_bio_only(self) < 0)
        return NULL;
    if (size_arg(argv[0], "bufsiz", &bufsiz) < 0)
        return NULL;
    pyossl_reclock_acquire(&self->lock);
    pending = BIO_ctrl_pending(self->from_ssl);
    if (pending == 0 || bufsiz == 0) {
        /* Let the BIO say why there is nothing (retry flags). */
        char dummy;
        got = BIO_read(self->from_ssl, &dummy, bufsiz == 0 ? 0 : 1);
        pyossl_reclock_release(&self->lock);
        if (got <= 0)
            return raise_bio_error(self, self->from_ssl);
        return PyBytes_FromStringAndSize(&dummy, got);
    }
    if ((size_t)bufsiz < pending)
        pending = (size_t)bufsiz;
    n = pending > INT_MAX ? INT_MAX : (int)pending;
    result = PyBytes_FromStringAndSize(NULL, n);
    if (result == NULL) {
        pyossl_reclock_release(&self->lock);
        return NULL;
    }
    got = BIO_read(self->from_ssl, PyBytes_AS_STRING(result), n);
    pyossl_reclock_release(&self->lock);
    if (got <= 0) {
        Py_DECREF(result);
        return raise_bio_error(self, self->from_ssl);
    }
    if (got < n && _PyBytes_Resize(&result, got) < 0)
        return NULL;
    return result;
}

static const char *const bio_write_kwlist[] = {"buf", NULL};

PyDoc_STRVAR(io_bio_write_doc,
"bio_write($self, /, buf)\n--\n\n"
"Feed TLS data received from the peer into the incoming memory BIO\n"
"(any bytes-like object).\n\n"
":return: The number of bytes written.\n"
":raises TypeError: for a socket-based connection.");

static PyObject *
io_bio_write(ConnectionObject *self, PyObject *const *args, Py_ssize_t nargs,
             PyObject *kwnames)
{
    PyObject *argv[1];
    pyossl_bytes buf;
    int written;

    if (pyossl_parse_fastcall(args, nargs, kwnames, "bio_write",
                              bio_write_kwlist, 1, argv) < 0)
        return NULL;
    if (pyossl_bytes_or_text_warn(argv[0], "buf", 1, &buf) < 0)
        return NULL;
    if (memory_bio_only(self) < 0) {
        pyossl_bytes_release(&buf);
        return NULL;
    }
    if (buf.len > INT_MAX) {
        pyossl_bytes_release(&buf);
        PyErr_SetString(PyExc_ValueError,
                        "Cannot write more than 2**31-1 bytes at once.");
        return NULL;
    }
    pyossl_reclock_acquire(&self->lock);
    written = BIO_write(self->into_ssl, buf.data, (int)buf.len);
    pyossl_reclock_release(&self->lock);
    pyossl_bytes_release(&buf);
    if (written <= 0)
        return raise_bio_error(self, self->into_ssl);
    return PyLong_FromLong(written);
}

PyDoc_STRVAR(io_bio_shutdown_doc,
"bio_shutdown($self, /)\n--\n\n"
"Mark the end of the incoming data: once what was written is used up,\n"
"reads see end of file.\n\n"
":raises TypeError: for a socket-based connection.");

static PyObject *
io_bio_shutdown(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    if (memory_bio_only(self) < 0)
        return NULL;
    pyossl_reclock_acquire(&self->lock);
    BIO_set_mem_eof_return(self->into_ssl, 0);
    pyossl_reclock_release(&self->lock);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * DTLS
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(io_DTLSv1_listen_doc,
"DTLSv1_listen($self, /)\n--\n\n"
"Wait (statelessly) for a ClientHello with a valid cookie, answering\n"
"others with a HelloVerifyRequest.\n\n"
":raises WantReadError: while no such ClientHello has arrived.\n"
"Exceptions raised by the cookie callbacks are re-raised here.");

static PyObject *
io_DTLSv1_listen(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    BIO_ADDR *addr;
    io_section sec;
    io_status st;

    if (ssl_connection_check(self) < 0)
        return NULL;
    addr = BIO_ADDR_new();
    if (addr == NULL)
        return SSL_RAISE(self->state);
    if (io_begin(self, &sec, 0, "DTLSv1_listen") < 0) {
        BIO_ADDR_free(addr);
        return NULL;
    }
    errno = 0;
    st.ret = DTLSv1_listen(self->ssl, addr);
    st.sys_errno = errno;
    st.err = st.ret < 0 ? SSL_get_error(self->ssl, st.ret) : SSL_ERROR_NONE;
    io_end(&sec);
    BIO_ADDR_free(addr);
    if (ssl_raise_cookie_pending(self) < 0)
        return NULL;
    if (st.ret == 0)
        return raise_plain(self->state->WantReadError);
    if (st.ret < 0)
        return raise_status(self, &st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(io_DTLSv1_get_timeout_doc,
"DTLSv1_get_timeout($self, /)\n--\n\n"
"The seconds (a float) until DTLSv1_handle_timeout() should be called,\n"
"or None if no timer is running.");

static PyObject *
io_DTLSv1_get_timeout(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    struct timeval tv;
    long running;
    CONNECTION_BEGIN(self);
    running = DTLSv1_get_timeout(self->ssl, &tv);
    CONNECTION_END(self);
    if (!running)
        Py_RETURN_NONE;
    return PyFloat_FromDouble((double)tv.tv_sec + tv.tv_usec / 1000000.0);
}

PyDoc_STRVAR(io_DTLSv1_handle_timeout_doc,
"DTLSv1_handle_timeout($self, /)\n--\n\n"
"Handle an expired DTLS timer (retransmit).\n\n"
":return: True if a timeout was pending, else False.");

static PyObject *
io_DTLSv1_handle_timeout(ConnectionObject *self,
                         PyObject *Py_UNUSED(ignored))
{
    io_section sec;
    io_status st;

    if (ssl_connection_check(self) < 0)
        return NULL;
    if (io_begin(self, &sec, 0, "DTLSv1_handle_timeout") < 0)
        return NULL;
    errno = 0;
    st.ret = (int)DTLSv1_handle_timeout(self->ssl);
    st.sys_errno = errno;
    st.err = st.ret < 0 ? SSL_get_error(self->ssl, st.ret) : SSL_ERROR_NONE;
    io_end(&sec);
    if (st.ret < 0)
        return raise_status(self, &st);
    if (raise_pending_after_success(self) < 0)
        return NULL;
    return PyBool_FromLong(st.ret > 0);
}

#define METH_NO(name) \
    {#name, (PyCFunction)io_##name, METH_NOARGS, io_##name##_doc}
#define METH_FAST(name) \
    {#name, (PyCFunction)(void (*)(void))io_##name, \
     METH_FASTCALL | METH_KEYWORDS, io_##name##_doc}

PyMethodDef ssl_connection_io_methods[] = {
    METH_NO(do_handshake),
    METH_NO(renegotiate),
    METH_NO(shutdown),
    METH_FAST(send),
    METH_FAST(sendall),
    METH_FAST(recv),
    METH_FAST(recv_into),
    METH_FAST(bio_read),
    METH_FAST(bio_write),
    METH_NO(bio_shutdown),
    METH_NO(DTLSv1_listen),
    METH_NO(DTLSv1_get_timeout),
    METH_NO(DTLSv1_handle_timeout),
    {NULL, NULL, 0, NULL}
};
