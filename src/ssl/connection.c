/*
 * connection.c -- OpenSSL.SSL.Connection: lifecycle, socket forwarding,
 * getters and setters. The I/O methods live in io.c.
 *
 * A Connection wraps an SSL on either a socket (any object with fileno()),
 * or a pair of memory BIOs (socket=None) that the application feeds with
 * bio_write() and drains with bio_read(). Attributes it does not have are
 * looked up on the socket, as pyOpenSSL does.
 *
 * One thread at a time: every method that touches the SSL holds the
 * Connection's recursive lock, so a second thread calling into the same
 * Connection waits until the first call returns (the rule cheroot and
 * pyOpenSSL 0.13's tsafe applied from outside), while callbacks running
 * inside a call may still use the Connection they are given.
 */
#include "ssl.h"

#include <sys/socket.h>

int
ssl_connection_check(ConnectionObject *self)
{
    if (self->ssl == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "this Connection is not initialised: "
                        "Connection.__init__(context, socket) was not "
                        "called");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Lifecycle
 * --------------------------------------------------------------------- */

static PyObject *
connection_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    ConnectionObject *self;
    ssl_state *st = ssl_state_of_type(type);

    /* Arguments are __init__'s business: subclasses may take others and
     * set attributes before calling Connection.__init__ (pymongo does). */
    (void)args;
    (void)kwargs;
    if (st == NULL)
        return NULL;
    self = (ConnectionObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->state = st;
    if (pyossl_reclock_init(&self->lock) < 0) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    self->lock_ready = 1;
    return (PyObject *)self;
}

/* pyOpenSSL's _asFileDescriptor(). */
static int
as_file_descriptor(PyObject *obj, int *fd)
{
    PyObject *value;
    long v;

    if (PyLong_Check(obj)) {
        value = Py_NewRef(obj);
    } else {
        PyObject *meth = PyObject_GetAttrString(obj, "fileno");
        if (meth == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError))
                return -1;
            PyErr_Clear();
            value = NULL;
        } else {
            value = PyObject_CallNoArgs(meth);
            Py_DECREF(meth);
            if (value == NULL)
                return -1;
        }
    }
    if (value == NULL || !PyLong_Check(value)) {
        Py_XDECREF(value);
        PyErr_SetString(PyExc_TypeError,
                        "argument must be an int, or have a fileno() "
                        "method.");
        return -1;
    }
    v = PyLong_AsLong(value);
    Py_DECREF(value);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < 0) {
        PyErr_Format(PyExc_ValueError,
                     "file descriptor cannot be a negative integer (%ld)", v);
        return -1;
    }
    if (v > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "file descriptor out of range");
        return -1;
    }
    *fd = (int)v;
    return 0;
}

static int
connection_init(ConnectionObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"context", "socket", NULL};
    ssl_state *st = self->state;
    PyObject *context, *sock = Py_None;
    PyObject *verify_cb = NULL, *cookie_generate_cb = NULL;
    PyObject *cookie_verify_cb = NULL;
    BIO *into = NULL, *from = NULL;
    ContextObject *ctx;
    SSL *ssl;
    int fd = -1;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:Connection", kwlist,
                                     &context, &sock))
        return -1;
    if (!PyObject_TypeCheck(context, st->Context_Type)) {
        PyErr_SetString(PyExc_TypeError,
                        "context must be a Context instance");
        return -1;
    }
    ctx = (ContextObject *)context;
    if (ctx->ctx == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "the Context is not initialised");
        return -1;
    }
    if (self->ssl != NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "Connection.__init__() may only be called once");
        return -1;
    }
    if (sock != Py_None && as_file_descriptor(sock, &fd) < 0)
        return -1;

    /* SSL_new reads the SSL_CTX: hold the Context shared, and take the
     * snapshots pyOpenSSL takes under the same hold. */
    pyossl_rwlock_acquire_shared(&ctx->lock);
    ssl = SSL_new(ctx->ctx);
    if (ssl != NULL) {
        verify_cb = Py_XNewRef(ctx->verify_cb);
        cookie_generate_cb = Py_XNewRef(ctx->cookie_generate_cb);
        cookie_verify_cb = Py_XNewRef(ctx->cookie_verify_cb);
    }
    pyossl_rwlock_release_shared(&ctx->lock);
    if (ssl == NULL)
        return pyossl_raise_error_queue_int(st->Error);

    /* Deal with records that carry no application data inside OpenSSL,
     * as pyOpenSSL does (openssl/openssl#6234). */
    SSL_set_mode(ssl, SSL_MODE_AUTO_RETRY);
    if (sock == Py_None) {
        into = ssl_memory_bio_new();
        from = ssl_memory_bio_new();
        if (into == NULL || from == NULL) {
            BIO_free(into);
            BIO_free(from);
            goto fail;
        }
        SSL_set_bio(ssl, into, from);
    } else {
        BIO *bio = ssl_socket_bio_new(self, fd);
        if (bio == NULL)
            goto fail;
        SSL_set_bio(ssl, bio, bio);
    }
    /* fileno() ran Python code, and the Context lock may have let other
     * threads run: __init__ may have been called meanwhile. */
    if (self->ssl != NULL) {
        SSL_free(ssl);
        Py_XDECREF(verify_cb);
        Py_XDECREF(cookie_generate_cb);
        Py_XDECREF(cookie_verify_cb);
        PyErr_SetString(PyExc_TypeError,
                        "Connection.__init__() may only be called once");
        return -1;
    }
    SSL_set_app_data(ssl, self);
    self->ssl = ssl;
    self->into_ssl = into;
    self->from_ssl = from;
    self->verify_cb = verify_cb;
    self->cookie_generate_cb = cookie_generate_cb;
    self->cookie_verify_cb = cookie_verify_cb;
    self->context = (ContextObject *)Py_NewRef(context);
    self->session_context = (ContextObject *)Py_NewRef(context);
    if (sock != Py_None)
        self->socket = Py_NewRef(sock);
    return 0;

fail:
    SSL_free(ssl);
    Py_XDECREF(verify_cb);
    Py_XDECREF(cookie_generate_cb);
    Py_XDECREF(cookie_verify_cb);
    return pyossl_raise_error_queue_int(st->Error);
}

static int
connection_traverse(ConnectionObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->context);
    Py_VISIT(self->session_context);
    Py_VISIT(self->socket);
    Py_VISIT(self->app_data);
    Py_VISIT(self->verify_cb);
    Py_VISIT(self->info_cb);
    Py_VISIT(self->cookie_generate_cb);
    Py_VISIT(self->cookie_verify_cb);
    Py_VISIT(self->pending);
    Py_VISIT(self->cookie_pending);
    Py_VISIT(self->alpn_selected);
    Py_VISIT(self->dict);
    return 0;
}

/* Drops the Python references; the SSL itself stays until dealloc (it
 * still refers to the SSL_CTX, which the C side keeps alive). The
 * Contexts are kept too: their SSL_CTX callbacks find them through it. */
static int
connection_clear(ConnectionObject *self)
{
    Py_CLEAR(self->socket);
    Py_CLEAR(self->app_data);
    Py_CLEAR(self->verify_cb);
    Py_CLEAR(self->info_cb);
    Py_CLEAR(self->cookie_generate_cb);
    Py_CLEAR(self->cookie_verify_cb);
    Py_CLEAR(self->pending);
    Py_CLEAR(self->cookie_pending);
    Py_CLEAR(self->alpn_selected);
    Py_CLEAR(self->dict);
    return 0;
}

static void
connection_dealloc(ConnectionObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    if (self->ssl != NULL) {
        /* No callback may find this object while the SSL is freed. */
        SSL_set_app_data(self->ssl, NULL);
        SSL_free(self->ssl);
        self->ssl = NULL;
    }
    connection_clear(self);
    Py_CLEAR(self->context);
    Py_CLEAR(self->session_context);
    if (self->lock_ready)
        pyossl_reclock_destroy(&self->lock);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* Attributes the Connection does not have come from its socket. */
static PyObject *
connection_getattro(ConnectionObject *self, PyObject *name)
{
    PyObject *result = PyObject_GenericGetAttr((PyObject *)self, name);
    if (result != NULL || !PyErr_ExceptionMatches(PyExc_AttributeError))
        return result;
    if (self->socket != NULL) {
        PyErr_Clear();
        return PyObject_GetAttr(self->socket, name);
    }
    PyErr_Clear();
    PyErr_Format(PyExc_AttributeError, "'%s' object has no attribute '%U'",
                 pyossl_type_short_name(Py_TYPE(self)), name);
    return NULL;
}

/* ------------------------------------------------------------------------
 * Context, application data, state
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(connection_get_context_doc,
"get_context($self, /)\n--\n\n"
"Retrieve the Context object associated with this Connection.");

static PyObject *
connection_get_context(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    if (ssl_connection_check(self) < 0)
        return NULL;
    return Py_NewRef(self->context);
}

PyDoc_STRVAR(connection_set_context_doc,
"set_context($self, /, context)\n--\n\n"
"Switch this connection to another Context; usually called from a\n"
"servername callback to choose the certificate for the name asked for.");

static PyObject *
connection_set_context(ConnectionObject *self, PyObject *args,
                       PyObject *kwargs)
{
    static char *kwlist[] = {"context", NULL};
    PyObject *context, *old;
    ContextObject *ctx;
    SSL_CTX *done;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_context", kwlist,
                                     &context))
        return NULL;
    if (!PyObject_TypeCheck(context, self->state->Context_Type)) {
        PyErr_SetString(PyExc_TypeError,
                        "context must be a Context instance");
        return NULL;
    }
    ctx = (ContextObject *)context;
    if (ctx->ctx == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "the Context is not initialised");
        return NULL;
    }
    CONNECTION_BEGIN(self);
    pyossl_rwlock_acquire_shared(&ctx->lock);
    done = SSL_set_SSL_CTX(self->ssl, ctx->ctx);
    pyossl_rwlock_release_shared(&ctx->lock);
    if (done == NULL) {
        /* The SSL keeps its SSL_CTX (and the I/O sections their hold):
         * so does the Connection. */
        CONNECTION_END(self);
        return SSL_RAISE(self->state);
    }
    ssl_io_switch_context(self, ctx);
    old = (PyObject *)self->context;
    self->context = (ContextObject *)Py_NewRef(context);
    CONNECTION_END(self);
    Py_DECREF(old);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_set_app_data_doc,
"set_app_data($self, /, data)\n--\n\n"
"Store any object, returned by get_app_data().");

static PyObject *
connection_set_app_data(ConnectionObject *self, PyObject *args,
                        PyObject *kwargs)
{
    static char *kwlist[] = {"data", NULL};
    PyObject *data;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_app_data", kwlist,
                                     &data))
        return NULL;
    Py_XSETREF(self->app_data, Py_NewRef(data));
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_get_app_data_doc,
"get_app_data($self, /)\n--\n\n"
"Retrieve the object stored by set_app_data(), or None.");

static PyObject *
connection_get_app_data(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(self->app_data ? self->app_data : Py_None);
}

PyDoc_STRVAR(connection_set_options_doc,
"set_options($self, /, options)\n--\n\n"
"Add options (OP_*) for this connection only.\n\n"
":return: The new option bitmask.");

static PyObject *
connection_set_options(ConnectionObject *self, PyObject *args,
                       PyObject *kwargs)
{
    static char *kwlist[] = {"options", NULL};
    PyObject *obj;
    unsigned long long options;
    uint64_t result;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_options", kwlist,
                                     &obj))
        return NULL;
    if (!PyLong_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "options must be an integer");
        return NULL;
    }
    options = PyLong_AsUnsignedLongLong(obj);
    if (options == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    CONNECTION_BEGIN(self);
    result = SSL_set_options(self->ssl, (uint64_t)options);
    CONNECTION_END(self);
    return PyLong_FromUnsignedLongLong(result);
}

PyDoc_STRVAR(connection_set_accept_state_doc,
"set_accept_state($self, /)\n--\n\n"
"Work in server mode: the handshake will be handled automatically by\n"
"read and write.");

static PyObject *
connection_set_accept_state(ConnectionObject *self,
                            PyObject *Py_UNUSED(ignored))
{
    CONNECTION_BEGIN(self);
    if (ssl_connection_refuse_nested(self, "set_accept_state") < 0) {
        CONNECTION_END(self);
        return NULL;
    }
    SSL_set_accept_state(self->ssl);
    CONNECTION_END(self);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_set_connect_state_doc,
"set_connect_state($self, /)\n--\n\n"
"Work in client mode: the handshake will be handled automatically by\n"
"read and write.");

static PyObject *
connection_set_connect_state(ConnectionObject *self,
                             PyObject *Py_UNUSED(ignored))
{
    CONNECTION_BEGIN(self);
    if (ssl_connection_refuse_nested(self, "set_connect_state") < 0) {
        CONNECTION_END(self);
        return NULL;
    }
    SSL_set_connect_state(self->ssl);
    CONNECTION_END(self);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_get_shutdown_doc,
"get_shutdown($self, /)\n--\n\n"
"Get the shutdown state: a bitvector of SENT_SHUTDOWN and\n"
"RECEIVED_SHUTDOWN.");

static PyObject *
connection_get_shutdown(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    int state;
    CONNECTION_BEGIN(self);
    state = SSL_get_shutdown(self->ssl);
    CONNECTION_END(self);
    return PyLong_FromLong(state);
}

PyDoc_STRVAR(connection_set_shutdown_doc,
"set_shutdown($self, /, state)\n--\n\n"
"Set the shutdown state: a bitvector of SENT_SHUTDOWN and\n"
"RECEIVED_SHUTDOWN.");

static PyObject *
connection_set_shutdown(ConnectionObject *self, PyObject *args,
                        PyObject *kwargs)
{
    static char *kwlist[] = {"state", NULL};
    PyObject *obj;
    long state;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_shutdown", kwlist,
                                     &obj))
        return NULL;
    if (!PyLong_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "state must be an integer");
        return NULL;
    }
    state = PyLong_AsLong(obj);
    if (state == -1 && PyErr_Occurred())
        return NULL;
    if (state < INT_MIN || state > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "state out of range");
        return NULL;
    }
    CONNECTION_BEGIN(self);
    SSL_set_shutdown(self->ssl, (int)state);
    CONNECTION_END(self);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_get_state_string_doc,
"get_state_string($self, /)\n--\n\n"
"Retrieve a verbose string (bytes) detailing the state of the\n"
"Connection, e.g. b'SSL negotiation finished successfully'.");

static PyObject *
connection_get_state_string(ConnectionObject *self,
                            PyObject *Py_UNUSED(ignored))
{
    const char *s;
    CONNECTION_BEGIN(self);
    s = SSL_state_string_long(self->ssl);
    CONNECTION_END(self);
    return PyBytes_FromString(s ? s : "");
}

PyDoc_STRVAR(connection_state_string_doc,
"state_string($self, /)\n--\n\n"
"pyOpenSSL 0.13's name for get_state_string(): the same text, as str.");

static PyObject *
connection_state_string(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    const char *s;
    CONNECTION_BEGIN(self);
    s = SSL_state_string_long(self->ssl);
    CONNECTION_END(self);
    return PyUnicode_FromString(s ? s : "");
}

PyDoc_STRVAR(connection_want_read_doc,
"want_read($self, /)\n--\n\n"
"Whether more data has to be read from the transport to complete an\n"
"operation (an int, 0 or 1).");

static PyObject *
connection_want_read(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    int want;
    CONNECTION_BEGIN(self);
    want = SSL_want_read(self->ssl);
    CONNECTION_END(self);
    return PyLong_FromLong(want);
}

PyDoc_STRVAR(connection_want_write_doc,
"want_write($self, /)\n--\n\n"
"Whether there is data to write to the transport to complete an\n"
"operation (an int, 0 or 1).");

static PyObject *
connection_want_write(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    int want;
    CONNECTION_BEGIN(self);
    want = SSL_want_write(self->ssl);
    CONNECTION_END(self);
    return PyLong_FromLong(want);
}

PyDoc_STRVAR(connection_pending_doc,
"pending($self, /)\n--\n\n"
"The number of bytes that can be read without reading from the\n"
"transport (decrypted data buffered inside OpenSSL).");

static PyObject *
connection_pending(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    int n;
    CONNECTION_BEGIN(self);
    n = SSL_pending(self->ssl);
    CONNECTION_END(self);
    return PyLong_FromLong(n);
}

PyDoc_STRVAR(connection_renegotiate_pending_doc,
"renegotiate_pending($self, /)\n--\n\n"
"Whether a renegotiation is in progress (a bool).");

static PyObject *
connection_renegotiate_pending(ConnectionObject *self,
                               PyObject *Py_UNUSED(ignored))
{
    int pending;
    CONNECTION_BEGIN(self);
    pending = SSL_renegotiate_pending(self->ssl);
    CONNECTION_END(self);
    return PyBool_FromLong(pending == 1);
}

PyDoc_STRVAR(connection_total_renegotiations_doc,
"total_renegotiations($self, /)\n--\n\n"
"The number of renegotiations so far.");

static PyObject *
connection_total_renegotiations(ConnectionObject *self,
                                PyObject *Py_UNUSED(ignored))
{
    long n;
    CONNECTION_BEGIN(self);
    n = SSL_total_renegotiations(self->ssl);
    CONNECTION_END(self);
    return PyLong_FromLong(n);
}

/* ------------------------------------------------------------------------
 * Server name
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(connection_set_tlsext_host_name_doc,
"set_tlsext_host_name($self, /, name)\n--\n\n"
"Set the server name (SNI, bytes without NUL) the client hello carries.");

static PyObject *
connection_set_tlsext_host_name(ConnectionObject *self, PyObject *args,
                                PyObject *kwargs)
{
    static char *kwlist[] = {"name", NULL};
    PyObject *name;
    int ok;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_tlsext_host_name",
                                     kwlist, &name))
        return NULL;
    if (!PyBytes_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "name must be a byte string");
        return NULL;
    }
    if ((size_t)PyBytes_GET_SIZE(name) != strlen(PyBytes_AS_STRING(name))) {
        PyErr_SetString(PyExc_TypeError, "name must not contain NUL byte");
        return NULL;
    }
    CONNECTION_BEGIN(self);
    ok = SSL_set_tlsext_host_name(self->ssl, PyBytes_AS_STRING(name));
    CONNECTION_END(self);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_get_servername_doc,
"get_servername($self, /)\n--\n\n"
"The server name the client asked for (bytes), or None.");

static PyObject *
connection_get_servername(ConnectionObject *self,
                          PyObject *Py_UNUSED(ignored))
{
    const char *name;
    PyObject *result;
    CONNECTION_BEGIN(self);
    name = SSL_get_servername(self->ssl, TLSEXT_NAMETYPE_host_name);
    result = name ? PyBytes_FromString(name) : Py_NewRef(Py_None);
    CONNECTION_END(self);
    return result;
}

/* ------------------------------------------------------------------------
 * Verification, certificates and keys
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(connection_set_verify_doc,
"set_verify($self, /, mode, callback=None)\n--\n\n"
"Override the Context's verification flags and callback for this\n"
"connection; see Context.set_verify(). An exception raised by the\n"
"callback is re-raised from the I/O call, as for the Context's.");

static PyObject *
connection_set_verify(ConnectionObject *self, PyObject *args,
                      PyObject *kwargs)
{
    static char *kwlist[] = {"mode", "callback", NULL};
    PyObject *mode_obj, *callback = Py_None, *old;
    long mode;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:set_verify", kwlist,
                                     &mode_obj, &callback))
        return NULL;
    if (!PyLong_Check(mode_obj)) {
        PyErr_SetString(PyExc_TypeError, "mode must be an integer");
        return NULL;
    }
    mode = PyLong_AsLong(mode_obj);
    if (mode == -1 && PyErr_Occurred())
        return NULL;
    if (mode < INT_MIN || mode > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "mode out of range");
        return NULL;
    }
    if (callback == Py_None)
        callback = NULL;
    else if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        return NULL;
    }
    CONNECTION_BEGIN(self);
    old = self->verify_cb;
    self->verify_cb = Py_XNewRef(callback);
    SSL_set_verify(self->ssl, (int)mode,
                   callback ? ssl_verify_trampoline : NULL);
    CONNECTION_END(self);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_get_verify_mode_doc,
"get_verify_mode($self, /)\n--\n\n"
"Retrieve this connection's verify mode.");

static PyObject *
connection_get_verify_mode(ConnectionObject *self,
                           PyObject *Py_UNUSED(ignored))
{
    int mode;
    CONNECTION_BEGIN(self);
    mode = SSL_get_verify_mode(self->ssl);
    CONNECTION_END(self);
    return PyLong_FromLong(mode);
}

PyDoc_STRVAR(connection_set_info_callback_doc,
"set_info_callback($self, /, callback)\n--\n\n"
"Set an information callback for this connection only; see\n"
"Context.set_info_callback().");

static PyObject *
connection_set_info_callback(ConnectionObject *self, PyObject *args,
                             PyObject *kwargs)
{
    static char *kwlist[] = {"callback", NULL};
    PyObject *callback, *old;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_info_callback",
                                     kwlist, &callback))
        return NULL;
    if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        return NULL;
    }
    CONNECTION_BEGIN(self);
    old = self->info_cb;
    self->info_cb = Py_NewRef(callback);
    SSL_set_info_callback(self->ssl, ssl_info_trampoline);
    CONNECTION_END(self);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_use_certificate_doc,
"use_certificate($self, /, cert)\n--\n\n"
"Use a certificate (X509 or cryptography Certificate) for this\n"
"connection only.");

static PyObject *
connection_use_certificate(ConnectionObject *self, PyObject *args,
                           PyObject *kwargs)
{
    static char *kwlist[] = {"cert", NULL};
    const pyossl_crypto_capi *api = self->state->crypto;
    PyObject *obj;
    X509 *x509;
    int ok;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:use_certificate",
                                     kwlist, &obj))
        return NULL;
    if (ssl_connection_check(self) < 0)
        return NULL;
    x509 = api->x509_from_any(api, obj);
    if (x509 == NULL)
        return NULL;
    CONNECTION_BEGIN(self);
    ok = SSL_use_certificate(self->ssl, x509);
    CONNECTION_END(self);
    X509_free(x509);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_use_privatekey_doc,
"use_privatekey($self, /, pkey)\n--\n\n"
"Use a private key (PKey or cryptography private key) for this\n"
"connection only.");

static PyObject *
connection_use_privatekey(ConnectionObject *self, PyObject *args,
                          PyObject *kwargs)
{
    static char *kwlist[] = {"pkey", NULL};
    const pyossl_crypto_capi *api = self->state->crypto;
    PyObject *obj;
    EVP_PKEY *pkey;
    int ok;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:use_privatekey",
                                     kwlist, &obj))
        return NULL;
    if (ssl_connection_check(self) < 0)
        return NULL;
    pkey = api->pkey_from_any(api, obj);
    if (pkey == NULL)
        return NULL;
    CONNECTION_BEGIN(self);
    ok = SSL_use_PrivateKey(self->ssl, pkey);
    CONNECTION_END(self);
    EVP_PKEY_free(pkey);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

int
ssl_parse_as_cryptography(PyObject *args, PyObject *kwargs,
                          const char *fname)
{
    static char *kwlist[] = {"as_cryptography", NULL};
    char fmt[80];
    int flag = 0;
    PyOS_snprintf(fmt, sizeof(fmt), "|$p:%s", fname);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &flag))
        return -1;
    return flag;
}

/* An X509 object (or a cryptography Certificate) for a borrowed X509. */
static PyObject *
cert_object(ssl_state *st, X509 *x509, int as_cryptography)
{
    const pyossl_crypto_capi *api = st->crypto;
    return as_cryptography ? api->x509_to_cryptography(api, x509)
                           : api->x509_from_ptr(api, x509);
}

PyObject *
ssl_cert_stack_to_list(ssl_state *st, STACK_OF(X509) *certs,
                       int as_cryptography)
{
    int i, n = sk_X509_num(certs);
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *cert = cert_object(st, sk_X509_value(certs, i),
                                     as_cryptography);
        if (cert == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, cert);
    }
    return list;
}

/* Certificates are fetched with the lock held and up-referenced; they are
 * converted to Python objects after the lock is released (the conversion
 * may call into cryptography). */

PyDoc_STRVAR(connection_get_certificate_doc,
"get_certificate($self, /, *, as_cryptography=False)\n--\n\n"
"The local certificate (X509, or a cryptography Certificate with\n"
"as_cryptography=True), or None.");

static PyObject *
connection_get_certificate(ConnectionObject *self, PyObject *args,
                           PyObject *kwargs)
{
    int as_crypto = ssl_parse_as_cryptography(args, kwargs,
                                              "get_certificate");
    PyObject *result;
    X509 *x509;

    if (as_crypto < 0)
        return NULL;
    CONNECTION_BEGIN(self);
    x509 = SSL_get_certificate(self->ssl);
    if (x509 != NULL)
        X509_up_ref(x509);
    CONNECTION_END(self);
    if (x509 == NULL)
        Py_RETURN_NONE;
    result = cert_object(self->state, x509, as_crypto);
    X509_free(x509);
    return result;
}

PyDoc_STRVAR(connection_get_peer_certificate_doc,
"get_peer_certificate($self, /, *, as_cryptography=False)\n--\n\n"
"The peer's certificate (X509, or a cryptography Certificate with\n"
"as_cryptography=True), or None.");

static PyObject *
connection_get_peer_certificate(ConnectionObject *self, PyObject *args,
                                PyObject *kwargs)
{
    int as_crypto = ssl_parse_as_cryptography(args, kwargs,
                                              "get_peer_certificate");
    PyObject *result;
    X509 *x509;

    if (as_crypto < 0)
        return NULL;
    CONNECTION_BEGIN(self);
    x509 = SSL_get1_peer_certificate(self->ssl);
    CONNECTION_END(self);
    if (x509 == NULL)
        Py_RETURN_NONE;
    result = cert_object(self->state, x509, as_crypto);
    X509_free(x509);
    return result;
}

/* Copy a borrowed chain (up-referencing every certificate) under the
 * lock, so that it can be converted after. NULL if there is none. */
static STACK_OF(X509) *
chain_copy(STACK_OF(X509) *chain)
{
    return chain ? X509_chain_up_ref(chain) : NULL;
}

static PyObject *
chain_result(ConnectionObject *self, STACK_OF(X509) *chain, int present,
             int as_crypto)
{
    PyObject *result;
    if (!present)
        Py_RETURN_NONE;
    if (chain == NULL)
        return SSL_RAISE(self->state);
    result = ssl_cert_stack_to_list(self->state, chain, as_crypto);
    sk_X509_pop_free(chain, X509_free);
    return result;
}

PyDoc_STRVAR(connection_get_peer_cert_chain_doc,
"get_peer_cert_chain($self, /, *, as_cryptography=False)\n--\n\n"
"The certificate chain the peer sent, as a list, or None. On a client\n"
"it includes the server's certificate; on a server it does not include\n"
"the client's.");

static PyObject *
connection_get_peer_cert_chain(ConnectionObject *self, PyObject *args,
                               PyObject *kwargs)
{
    int as_crypto = ssl_parse_as_cryptography(args, kwargs,
                                              "get_peer_cert_chain");
    STACK_OF(X509) *chain, *copy;

    if (as_crypto < 0)
        return NULL;
    CONNECTION_BEGIN(self);
    chain = SSL_get_peer_cert_chain(self->ssl);
    copy = chain_copy(chain);
    CONNECTION_END(self);
    return chain_result(self, copy, chain != NULL, as_crypto);
}

PyDoc_STRVAR(connection_get_verified_chain_doc,
"get_verified_chain($self, /, *, as_cryptography=False)\n--\n\n"
"The verified chain of the peer, its certificate first, or None. Call it\n"
"once the handshake succeeded.");

static PyObject *
connection_get_verified_chain(ConnectionObject *self, PyObject *args,
                              PyObject *kwargs)
{
    int as_crypto = ssl_parse_as_cryptography(args, kwargs,
                                              "get_verified_chain");
    STACK_OF(X509) *chain, *copy;

    if (as_crypto < 0)
        return NULL;
    CONNECTION_BEGIN(self);
    chain = SSL_get0_verified_chain(self->ssl);
    copy = chain_copy(chain);
    CONNECTION_END(self);
    return chain_result(self, copy, chain != NULL, as_crypto);
}

PyDoc_STRVAR(connection_get_client_ca_list_doc,
"get_client_ca_list($self, /, *, as_cryptography=False)\n--\n\n"
"The CA names suggested for client authentication (X509Name copies, or\n"
"cryptography Names): on a server those its Context sends, on a client\n"
"those the server sent (empty until the handshake).");

static PyObject *
connection_get_client_ca_list(ConnectionObject *self, PyObject *args,
                              PyObject *kwargs)
{
    const pyossl_crypto_capi *api = self->state->crypto;
    int as_crypto = ssl_parse_as_cryptography(args, kwargs,
                                              "get_client_ca_list");
    STACK_OF(X509_NAME) *names, *copy = NULL;
    PyObject *list;
    int i, n;

    if (as_crypto < 0)
        return NULL;
    CONNECTION_BEGIN(self);
    names = SSL_get_client_CA_list(self->ssl);
    if (names != NULL)
        copy = sk_X509_NAME_deep_copy(names, X509_NAME_dup, X509_NAME_free);
    CONNECTION_END(self);
    if (names == NULL)
        return PyList_New(0);
    if (copy == NULL)
        return SSL_RAISE(self->state);
    n = sk_X509_NAME_num(copy);
    list = PyList_New(n);
    for (i = 0; list != NULL && i < n; i++) {
        X509_NAME *name = sk_X509_NAME_value(copy, i);
        PyObject *item = as_crypto ? api->x509name_to_cryptography(api, name)
                                   : api->x509name_copy(api, name);
        if (item == NULL)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, i, item);
    }
    sk_X509_NAME_pop_free(copy, X509_NAME_free);
    return list;
}

/* ------------------------------------------------------------------------
 * Session and negotiated parameters
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(connection_get_session_doc,
"get_session($self, /)\n--\n\n"
"A snapshot of the Session in use (usable with set_session() on any\n"
"number of Connections of the same Context, whatever happens to this\n"
"one), or None.");

static PyObject *
connection_get_session(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    SSL_SESSION *session, *copy = NULL;
    CONNECTION_BEGIN(self);
    session = SSL_get1_session(self->ssl);
    CONNECTION_END(self);
    if (session == NULL)
        Py_RETURN_NONE;
    /* A snapshot: the connection goes on changing its own session object,
     * and marks it not resumable if it is freed without shutdown(), which
     * must not spoil the Session handed out here. */
    copy = SSL_SESSION_dup(session);
    SSL_SESSION_free(session);
    if (copy == NULL)
        return SSL_RAISE(self->state);
    return ssl_session_wrap(self->state, copy, (PyObject *)self->context);
}

PyDoc_STRVAR(connection_set_session_doc,
"set_session($self, /, session)\n--\n\n"
"Resume a Session obtained from a Connection that used the same\n"
"Context as this one.\n\n"
":raises ValueError: if the Session comes from another Context.");

static PyObject *
connection_set_session(ConnectionObject *self, PyObject *args,
                       PyObject *kwargs)
{
    static char *kwlist[] = {"session", NULL};
    PyObject *obj;
    SessionObject *session;
    SSL_SESSION *copy;
    int ok;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_session", kwlist,
                                     &obj))
        return NULL;
    if (!PyObject_TypeCheck(obj, self->state->Session_Type)) {
        PyErr_SetString(PyExc_TypeError,
                        "session must be a Session instance");
        return NULL;
    }
    session = (SessionObject *)obj;
    if (session->session == NULL) {
        /* A bare Session(): pyOpenSSL 26.4's AttributeError, with its
         * message, in a class that is a TypeError too (API.md 3.2 row 22).
         * Only Sessions from get_session() hold a session. */
        PyErr_SetString(self->state->TypeAttributeError,
                        "'Session' object has no attribute '_context'");
        return NULL;
    }
    if (ssl_connection_check(self) < 0)
        return NULL;
    if (session->context != (PyObject *)self->context) {
        PyErr_SetString(PyExc_ValueError,
                        "session must have been created by a Connection "
                        "using the same Context as this one");
        return NULL;
    }
    /* OpenSSL updates the SSL_SESSION a connection resumes (tickets, flags),
     * so that one object given to several connections stops resuming after
     * the first: give each connection its own copy, as CPython's ssl
     * module does. */
    copy = SSL_SESSION_dup(session->session);
    if (copy == NULL)
        return SSL_RAISE(self->state);
    CONNECTION_BEGIN(self);
    if (ssl_connection_refuse_nested(self, "set_session") < 0) {
        CONNECTION_END(self);
        SSL_SESSION_free(copy);
        return NULL;
    }
    ok = SSL_set_session(self->ssl, copy);
    CONNECTION_END(self);
    SSL_SESSION_free(copy);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

/* The bytes of a random or finished message via an OpenSSL getter that
 * reports the full size when asked for 0 bytes. */
typedef size_t (*size_getter)(const SSL *, unsigned char *, size_t);

static PyObject *
get_random(ConnectionObject *self, size_getter getter)
{
    unsigned char buf[SSL3_RANDOM_SIZE * 2];
    size_t len = 0;
    int have_session;

    CONNECTION_BEGIN(self);
    have_session = SSL_get_session(self->ssl) != NULL;
    if (have_session)
        len = getter(self->ssl, buf, sizeof(buf));
    CONNECTION_END(self);
    if (!have_session)
        Py_RETURN_NONE;
    return PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)len);
}

PyDoc_STRVAR(connection_client_random_doc,
"client_random($self, /)\n--\n\n"
"The random value of the client hello (bytes), or None before there is\n"
"a session.");

static PyObject *
connection_client_random(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    return get_random(self, SSL_get_client_random);
}

PyDoc_STRVAR(connection_server_random_doc,
"server_random($self, /)\n--\n\n"
"The random value of the server hello (bytes), or None before there is\n"
"a session.");

static PyObject *
connection_server_random(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    return get_random(self, SSL_get_server_random);
}

PyDoc_STRVAR(connection_master_key_doc,
"master_key($self, /)\n--\n\n"
"The master key of the session (bytes), or None when there is no\n"
"session.\n\n"
":raises Error: when OpenSSL has no master key for the session (TLS 1.3).");

static PyObject *
connection_master_key(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    unsigned char buf[SSL_MAX_MASTER_KEY_LENGTH];
    SSL_SESSION *session;
    size_t len = 0;

    CONNECTION_BEGIN(self);
    session = SSL_get_session(self->ssl);
    if (session != NULL)
        len = SSL_SESSION_get_master_key(session, buf, sizeof(buf));
    CONNECTION_END(self);
    if (session == NULL)
        Py_RETURN_NONE;
    if (len == 0)
        return SSL_RAISE(self->state);
    return PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)len);
}

static PyObject *
get_finished(ConnectionObject *self, int peer)
{
    unsigned char buf[EVP_MAX_MD_SIZE];
    size_t len;

    CONNECTION_BEGIN(self);
    len = peer ? SSL_get_peer_finished(self->ssl, buf, sizeof(buf))
               : SSL_get_finished(self->ssl, buf, sizeof(buf));
    CONNECTION_END(self);
    if (len == 0)
        Py_RETURN_NONE;
    if (len > sizeof(buf))
        len = sizeof(buf);
    return PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)len);
}

PyDoc_STRVAR(connection_get_finished_doc,
"get_finished($self, /)\n--\n\n"
"The last TLS Finished message sent (bytes), or None.");

static PyObject *
connection_get_finished(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    return get_finished(self, 0);
}

PyDoc_STRVAR(connection_get_peer_finished_doc,
"get_peer_finished($self, /)\n--\n\n"
"The last TLS Finished message received (bytes), or None.");

static PyObject *
connection_get_peer_finished(ConnectionObject *self,
                             PyObject *Py_UNUSED(ignored))
{
    return get_finished(self, 1);
}

PyDoc_STRVAR(connection_export_keying_material_doc,
"export_keying_material($self, /, label, olen, context=None)\n--\n\n"
"Derive olen bytes of keying material (RFC 5705) from the session.\n\n"
":raises Error: if OpenSSL cannot.");

static PyObject *
connection_export_keying_material(ConnectionObject *self, PyObject *args,
                                  PyObject *kwargs)
{
    static char *kwlist[] = {"label", "olen", "context", NULL};
    Py_buffer label, context = {0};
    PyObject *context_obj = Py_None, *result = NULL;
    Py_ssize_t olen;
    int ok;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs,
                                     "y*n|O:export_keying_material", kwlist,
                                     &label, &olen, &context_obj))
        return NULL;
    if (context_obj != Py_None &&
        PyObject_GetBuffer(context_obj, &context, PyBUF_SIMPLE) < 0)
        goto done;
    if (olen < 0) {
        PyErr_SetString(PyExc_ValueError, "olen must not be negative");
        goto done;
    }
    result = PyBytes_FromStringAndSize(NULL, olen);
    if (result == NULL || ssl_connection_check(self) < 0) {
        Py_CLEAR(result);
        goto done;
    }
    pyossl_reclock_acquire(&self->lock);
    ok = SSL_export_keying_material(
        self->ssl, (unsigned char *)PyBytes_AS_STRING(result), (size_t)olen,
        label.buf, (size_t)label.len, context.buf, (size_t)context.len,
        context_obj != Py_None);
    pyossl_reclock_release(&self->lock);
    if (ok != 1) {
        Py_CLEAR(result);
        SSL_RAISE(self->state);
    }
done:
    PyBuffer_Release(&label);
    if (context.obj != NULL)
        PyBuffer_Release(&context);
    return result;
}

/* A str from a C string the SSL returns, or None for NULL; `what` selects
 * the getter. */
enum {
    CIPHER_NAME, CIPHER_VERSION, PROTOCOL_NAME, GROUP_NAME
};

static PyObject *
string_info(ConnectionObject *self, int what)
{
    const SSL_CIPHER *cipher;
    const char *s = NULL;
    PyObject *result;

    CONNECTION_BEGIN(self);
    switch (what) {
    case CIPHER_NAME:
    case CIPHER_VERSION:
        cipher = SSL_get_current_cipher(self->ssl);
        if (cipher != NULL)
            s = what == CIPHER_NAME ? SSL_CIPHER_get_name(cipher)
                                    : SSL_CIPHER_get_version(cipher);
        break;
    case PROTOCOL_NAME:
        s = SSL_get_version(self->ssl);
        break;
    case GROUP_NAME:
        /* Only meaningful once there is a session. */
        if (SSL_get_session(self->ssl) != NULL) {
            int nid = SSL_get_negotiated_group(self->ssl);
            if (nid != 0 && nid != NID_undef) {
                /* The TLS name of the group, as SSL_get0_group_name()
                 * of OpenSSL 3.2+ gives it. */
                s = SSL_group_to_name(self->ssl, nid);
                if (s == NULL)
                    s = OBJ_nid2sn(nid);
            }
        }
        break;
    }
    result = s ? PyUnicode_FromString(s) : Py_NewRef(Py_None);
    CONNECTION_END(self);
    if (what == GROUP_NAME)
        pyossl_clear_errors();      /* a lookup that found no name may queue one */
    return result;
}

PyDoc_STRVAR(connection_get_cipher_name_doc,
"get_cipher_name($self, /)\n--\n\n"
"The name of the cipher in use (str), or None before the handshake.");

static PyObject *
connection_get_cipher_name(ConnectionObject *self,
                           PyObject *Py_UNUSED(ignored))
{
    return string_info(self, CIPHER_NAME);
}

PyDoc_STRVAR(connection_get_cipher_version_doc,
"get_cipher_version($self, /)\n--\n\n"
"The protocol version of the cipher in use (str, e.g. 'TLSv1.3'), or\n"
"None before the handshake.");

static PyObject *
connection_get_cipher_version(ConnectionObject *self,
                              PyObject *Py_UNUSED(ignored))
{
    return string_info(self, CIPHER_VERSION);
}

PyDoc_STRVAR(connection_get_protocol_version_name_doc,
"get_protocol_version_name($self, /)\n--\n\n"
"The protocol version of the connection (str, e.g. 'TLSv1.3').");

static PyObject *
connection_get_protocol_version_name(ConnectionObject *self,
                                     PyObject *Py_UNUSED(ignored))
{
    return string_info(self, PROTOCOL_NAME);
}

PyDoc_STRVAR(connection_get_group_name_doc,
"get_group_name($self, /)\n--\n\n"
"The key exchange group negotiated (str, e.g. 'X25519'), or None.");

static PyObject *
connection_get_group_name(ConnectionObject *self,
                          PyObject *Py_UNUSED(ignored))
{
    return string_info(self, GROUP_NAME);
}

PyDoc_STRVAR(connection_get_cipher_bits_doc,
"get_cipher_bits($self, /)\n--\n\n"
"The number of secret bits of the cipher in use, or None before the\n"
"handshake.");

static PyObject *
connection_get_cipher_bits(ConnectionObject *self,
                           PyObject *Py_UNUSED(ignored))
{
    const SSL_CIPHER *cipher;
    int bits = 0;
    CONNECTION_BEGIN(self);
    cipher = SSL_get_current_cipher(self->ssl);
    if (cipher != NULL)
        bits = SSL_CIPHER_get_bits(cipher, NULL);
    CONNECTION_END(self);
    if (cipher == NULL)
        Py_RETURN_NONE;
    return PyLong_FromLong(bits);
}

PyDoc_STRVAR(connection_get_protocol_version_doc,
"get_protocol_version($self, /)\n--\n\n"
"The protocol version of the connection as an int (0x304 for TLS 1.3).");

static PyObject *
connection_get_protocol_version(ConnectionObject *self,
                                PyObject *Py_UNUSED(ignored))
{
    int version;
    CONNECTION_BEGIN(self);
    version = SSL_version(self->ssl);
    CONNECTION_END(self);
    return PyLong_FromLong(version);
}

PyDoc_STRVAR(connection_get_cipher_list_doc,
"get_cipher_list($self, /)\n--\n\n"
"The names of the ciphers this connection may use (a list of str).");

static PyObject *
connection_get_cipher_list(ConnectionObject *self,
                           PyObject *Py_UNUSED(ignored))
{
    PyObject *list = PyList_New(0);
    const char *name;
    int i;

    if (list == NULL)
        return NULL;
    if (ssl_connection_check(self) < 0) {
        Py_DECREF(list);
        return NULL;
    }
    pyossl_reclock_acquire(&self->lock);
    /* The list may be the Context's: read it under the Context's lock. */
    pyossl_rwlock_acquire_shared(&self->context->lock);
    for (i = 0; (name = SSL_get_cipher_list(self->ssl, i)) != NULL; i++) {
        PyObject *s = PyUnicode_FromString(name);
        if (s == NULL || PyList_Append(list, s) < 0) {
            Py_XDECREF(s);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(s);
    }
    pyossl_rwlock_release_shared(&self->context->lock);
    pyossl_reclock_release(&self->lock);
    return list;
}

/* ------------------------------------------------------------------------
 * ALPN, SRTP, OCSP, DTLS MTU
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(connection_set_alpn_protos_doc,
"set_alpn_protos($self, /, protos)\n--\n\n"
"Set the protocols this client offers with ALPN (a list of bytes).");

static PyObject *
connection_set_alpn_protos(ConnectionObject *self, PyObject *args,
                           PyObject *kwargs)
{
    static char *kwlist[] = {"protos", NULL};
    PyObject *protos, *wire;
    int rc;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_alpn_protos",
                                     kwlist, &protos))
        return NULL;
    wire = ssl_alpn_wire(self->state, protos);
    if (wire == NULL)
        return NULL;
    if (ssl_connection_check(self) < 0) {
        Py_DECREF(wire);
        return NULL;
    }
    pyossl_reclock_acquire(&self->lock);
    rc = SSL_set_alpn_protos(self->ssl,
                             (const unsigned char *)PyBytes_AS_STRING(wire),
                             (unsigned int)PyBytes_GET_SIZE(wire));
    pyossl_reclock_release(&self->lock);
    Py_DECREF(wire);
    if (rc != 0)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_get_alpn_proto_negotiated_doc,
"get_alpn_proto_negotiated($self, /)\n--\n\n"
"The protocol negotiated with ALPN (bytes), or b'' if none.");

static PyObject *
connection_get_alpn_proto_negotiated(ConnectionObject *self,
                                     PyObject *Py_UNUSED(ignored))
{
    const unsigned char *data = NULL;
    unsigned int len = 0;
    PyObject *result;
    CONNECTION_BEGIN(self);
    SSL_get0_alpn_selected(self->ssl, &data, &len);
    result = PyBytes_FromStringAndSize((const char *)data,
                                       data ? (Py_ssize_t)len : 0);
    CONNECTION_END(self);
    return result;
}

PyDoc_STRVAR(connection_get_selected_srtp_profile_doc,
"get_selected_srtp_profile($self, /)\n--\n\n"
"The SRTP protection profile negotiated (bytes), or b''.");

static PyObject *
connection_get_selected_srtp_profile(ConnectionObject *self,
                                     PyObject *Py_UNUSED(ignored))
{
    SRTP_PROTECTION_PROFILE *profile;
    PyObject *result;
    CONNECTION_BEGIN(self);
    profile = SSL_get_selected_srtp_profile(self->ssl);
    result = PyBytes_FromString(profile && profile->name ? profile->name
                                                         : "");
    CONNECTION_END(self);
    return result;
}

PyDoc_STRVAR(connection_request_ocsp_doc,
"request_ocsp($self, /)\n--\n\n"
"Ask the server to staple an OCSP response (client side); see\n"
"Context.set_ocsp_client_callback().");

static PyObject *
connection_request_ocsp(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    long rc;
    CONNECTION_BEGIN(self);
    rc = SSL_set_tlsext_status_type(self->ssl, TLSEXT_STATUSTYPE_ocsp);
    CONNECTION_END(self);
    if (rc != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_set_ciphertext_mtu_doc,
"set_ciphertext_mtu($self, /, mtu)\n--\n\n"
"DTLS: set the largest UDP payload (without IP/UDP overhead) to send.");

static PyObject *
connection_set_ciphertext_mtu(ConnectionObject *self, PyObject *args,
                              PyObject *kwargs)
{
    static char *kwlist[] = {"mtu", NULL};
    long mtu;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:set_ciphertext_mtu",
                                     kwlist, pyossl_long_converter, &mtu))
        return NULL;
    CONNECTION_BEGIN(self);
    SSL_set_mtu(self->ssl, mtu);
    CONNECTION_END(self);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(connection_get_cleartext_mtu_doc,
"get_cleartext_mtu($self, /)\n--\n\n"
"DTLS: the most data write() can take without exceeding the MTU (0 if\n"
"unknown yet, or for a TLS connection).");

static PyObject *
connection_get_cleartext_mtu(ConnectionObject *self,
                             PyObject *Py_UNUSED(ignored))
{
    size_t mtu;
    CONNECTION_BEGIN(self);
    /* OpenSSL 3.0's DTLS_get_data_mtu() reads DTLS state that a TLS
     * connection does not have; later releases answer 0 there. */
    mtu = SSL_is_dtls(self->ssl) ? DTLS_get_data_mtu(self->ssl) : 0;
    CONNECTION_END(self);
    return PyLong_FromSize_t(mtu);
}

/* ------------------------------------------------------------------------
 * Socket operations
 * --------------------------------------------------------------------- */

/* A socket method called on a memory-BIO Connection: pyOpenSSL calls it
 * on its socket attribute, None, and the AttributeError says so. (Naming
 * the Connection would be wrong: it has a method of that name.) */
static PyObject *
need_socket(ConnectionObject *self, const char *name)
{
    (void)self;
    PyErr_Format(PyExc_AttributeError,
                 "'NoneType' object has no attribute '%s'", name);
    return NULL;
}

PyDoc_STRVAR(connection_connect_doc,
"connect($self, /, addr)\n--\n\n"
"Set client mode, then call the socket's connect(addr).");

static PyObject *
connection_connect(ConnectionObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"addr", NULL};
    PyObject *addr;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:connect", kwlist,
                                     &addr))
        return NULL;
    CONNECTION_BEGIN(self);
    if (ssl_connection_refuse_nested(self, "connect") < 0) {
        CONNECTION_END(self);
        return NULL;
    }
    SSL_set_connect_state(self->ssl);
    CONNECTION_END(self);
    if (self->socket == NULL)
        return need_socket(self, "connect");
    return PyObject_CallMethod(self->socket, "connect", "(O)", addr);
}

PyDoc_STRVAR(connection_connect_ex_doc,
"connect_ex($self, /, addr)\n--\n\n"
"Set client mode, then call the socket's connect_ex(addr).");

static PyObject *
connection_connect_ex(ConnectionObject *self, PyObject *args,
                      PyObject *kwargs)
{
    static char *kwlist[] = {"addr", NULL};
    PyObject *addr;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:connect_ex", kwlist,
                                     &addr))
        return NULL;
    if (ssl_connection_check(self) < 0)
        return NULL;
    if (self->socket == NULL)
        return need_socket(self, "connect_ex");
    pyossl_reclock_acquire(&self->lock);
    if (ssl_connection_refuse_nested(self, "connect_ex") < 0) {
        pyossl_reclock_release(&self->lock);
        return NULL;
    }
    SSL_set_connect_state(self->ssl);
    pyossl_reclock_release(&self->lock);
    return PyObject_CallMethod(self->socket, "connect_ex", "(O)", addr);
}

PyDoc_STRVAR(connection_accept_doc,
"accept($self, /)\n--\n\n"
"Call the socket's accept() and return (Connection, address): a new\n"
"server-side Connection on the accepted socket, with this Context.");

static PyObject *
connection_accept(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *pair, *client, *addr, *conn, *result;

    if (ssl_connection_check(self) < 0)
        return NULL;
    if (self->socket == NULL)
        return need_socket(self, "accept");
    pair = PyObject_CallMethod(self->socket, "accept", NULL);
    if (pair == NULL)
        return NULL;
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        Py_DECREF(pair);
        PyErr_SetString(PyExc_TypeError,
                        "socket.accept() must return a (socket, address) "
                        "pair");
        return NULL;
    }
    client = PyTuple_GET_ITEM(pair, 0);
    addr = PyTuple_GET_ITEM(pair, 1);
    conn = PyObject_CallFunctionObjArgs((PyObject *)self->state->Connection_Type,
                                        (PyObject *)self->context, client,
                                        NULL);
    if (conn == NULL) {
        Py_DECREF(pair);
        return NULL;
    }
    SSL_set_accept_state(((ConnectionObject *)conn)->ssl);
    result = PyTuple_Pack(2, conn, addr);
    Py_DECREF(conn);
    Py_DECREF(pair);
    return result;
}

PyDoc_STRVAR(connection_sock_shutdown_doc,
"sock_shutdown($self, /, *args, **kwargs)\n--\n\n"
"Call the socket's shutdown() with these arguments.");

static PyObject *
connection_sock_shutdown(ConnectionObject *self, PyObject *args,
                         PyObject *kwargs)
{
    PyObject *meth, *result;
    if (self->socket == NULL)
        return need_socket(self, "shutdown");
    meth = PyObject_GetAttrString(self->socket, "shutdown");
    if (meth == NULL)
        return NULL;
    result = PyObject_Call(meth, args, kwargs);
    Py_DECREF(meth);
    return result;
}

PyDoc_STRVAR(connection_makefile_doc,
"makefile($self, /, *args, **kwargs)\n--\n\n"
"Not implemented: there are no dup semantics for TLS connections.\n\n"
":raises NotImplementedError: always.");

static PyObject *
connection_makefile(ConnectionObject *self, PyObject *args, PyObject *kwargs)
{
    (void)self;
    (void)args;
    (void)kwargs;
    PyErr_SetString(PyExc_NotImplementedError,
                    "Cannot make file object of OpenSSL.SSL.Connection");
    return NULL;
}

/* ------------------------------------------------------------------------
 * Private attributes
 * --------------------------------------------------------------------- */

static PyObject *
connection_get_socket(ConnectionObject *self, void *Py_UNUSED(closure))
{
    return Py_NewRef(self->socket ? self->socket : Py_None);
}

static PyObject *
connection_get_ssl(ConnectionObject *self, void *Py_UNUSED(closure))
{
    if (ssl_connection_check(self) < 0)
        return NULL;
    return PyCapsule_New(self->ssl, "OpenSSL.SSL.Connection._ssl", NULL);
}

static PyObject *
connection_get_context_attr(ConnectionObject *self, void *Py_UNUSED(closure))
{
    return Py_NewRef(self->context ? (PyObject *)self->context : Py_None);
}

static PyGetSetDef connection_getset[] = {
    /* Instances carry a dict (tp_dictoffset) but, being made from a spec,
     * get no __dict__ descriptor of their own; without this one,
     * conn.__dict__ and vars(conn) would fall through to the socket. */
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL,
     NULL},
    {"_socket", (getter)connection_get_socket, NULL,
     "The socket this Connection wraps, or None for memory BIOs.", NULL},
    {"_ssl", (getter)connection_get_ssl, NULL,
     "The SSL* as a PyCapsule (not a cffi pointer).", NULL},
    {"_context", (getter)connection_get_context_attr, NULL,
     "The current Context.", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))connection_##name, \
     METH_VARARGS | METH_KEYWORDS, connection_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)connection_##name, METH_NOARGS, \
     connection_##name##_doc}

static PyMethodDef connection_methods[] = {
    METH_NO(get_context),
    METH_KW(set_context),
    METH_KW(set_app_data),
    METH_NO(get_app_data),
    METH_KW(set_options),
    METH_NO(set_accept_state),
    METH_NO(set_connect_state),
    METH_NO(get_shutdown),
    METH_KW(set_shutdown),
    METH_NO(get_state_string),
    METH_NO(state_string),
    METH_NO(want_read),
    METH_NO(want_write),
    METH_NO(pending),
    METH_NO(renegotiate_pending),
    METH_NO(total_renegotiations),
    METH_KW(set_tlsext_host_name),
    METH_NO(get_servername),
    METH_KW(set_verify),
    METH_NO(get_verify_mode),
    METH_KW(set_info_callback),
    METH_KW(use_certificate),
    METH_KW(use_privatekey),
    METH_KW(get_certificate),
    METH_KW(get_peer_certificate),
    METH_KW(get_peer_cert_chain),
    METH_KW(get_verified_chain),
    METH_KW(get_client_ca_list),
    METH_NO(get_session),
    METH_KW(set_session),
    METH_NO(client_random),
    METH_NO(server_random),
    METH_NO(master_key),
    METH_NO(get_finished),
    METH_NO(get_peer_finished),
    METH_KW(export_keying_material),
    METH_NO(get_cipher_name),
    METH_NO(get_cipher_version),
    METH_NO(get_cipher_bits),
    METH_NO(get_protocol_version_name),
    METH_NO(get_protocol_version),
    METH_NO(get_group_name),
    METH_NO(get_cipher_list),
    METH_KW(set_alpn_protos),
    METH_NO(get_alpn_proto_negotiated),
    METH_NO(get_selected_srtp_profile),
    METH_NO(request_ocsp),
    METH_KW(set_ciphertext_mtu),
    METH_NO(get_cleartext_mtu),
    METH_KW(connect),
    METH_KW(connect_ex),
    METH_NO(accept),
    METH_KW(sock_shutdown),
    METH_KW(makefile),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef connection_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(ConnectionObject, dict),
     READONLY, NULL},
    {"__weaklistoffset__", T_PYSSIZET,
     offsetof(ConnectionObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(connection_doc,
"Connection(context, socket=None)\n--\n\n"
"A TLS connection made with a Context, over a socket (any object with a\n"
"fileno() method, or an int file descriptor) or, with socket=None, over\n"
"a pair of memory BIOs driven with bio_write() and bio_read().\n\n"
"Attributes the Connection does not have are looked up on its socket.\n"
"One thread at a time uses a Connection: a second thread calling into it\n"
"waits until the first call returns. Callbacks may use the Connection\n"
"they are given, but not restart its handshake: do_handshake(),\n"
"DTLSv1_listen(), DTLSv1_handle_timeout(), set_session(),\n"
"set_accept_state() and set_connect_state() raise Error there.");

static PyType_Slot connection_slots[] = {
    {Py_tp_doc, (void *)connection_doc},
    {Py_tp_new, connection_new},
    {Py_tp_init, connection_init},
    {Py_tp_dealloc, connection_dealloc},
    {Py_tp_traverse, connection_traverse},
    {Py_tp_clear, connection_clear},
    {Py_tp_getattro, connection_getattro},
    {Py_tp_methods, connection_methods},
    {Py_tp_members, connection_members},
    {Py_tp_getset, connection_getset},
    {0, NULL}
};

static PyType_Spec connection_spec = {
    .name = "OpenSSL.SSL.Connection",
    .basicsize = sizeof(ConnectionObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = connection_slots,
};

static int
add_io_methods(PyTypeObject *type)
{
    PyMethodDef *def;
    for (def = ssl_connection_io_methods; def->ml_name != NULL; def++) {
        PyObject *descr = PyDescr_NewMethod(type, def);
        int rc;
        if (descr == NULL)
            return -1;
        rc = PyObject_SetAttrString((PyObject *)type, def->ml_name, descr);
        Py_DECREF(descr);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int
alias(PyObject *type, const char *alias_name, const char *name)
{
    PyObject *descr = PyObject_GetAttrString(type, name);
    int rc;
    if (descr == NULL)
        return -1;
    rc = PyObject_SetAttrString(type, alias_name, descr);
    Py_DECREF(descr);
    return rc;
}

int
ssl_connection_register(PyObject *module, ssl_state *st)
{
    PyObject *type = PyType_FromModuleAndSpec(module, &connection_spec, NULL);
    if (type == NULL)
        return -1;
    st->Connection_Type = (PyTypeObject *)type;
    /* The I/O methods live in io.c; read and write are the very same
     * method objects as recv and send, as in pyOpenSSL. */
    if (add_io_methods(st->Connection_Type) < 0 ||
        alias(type, "read", "recv") < 0 ||
        alias(type, "write", "send") < 0)
        return -1;
    return PyModule_AddObjectRef(module, "Connection", type);
}
