/*
 * context.c -- OpenSSL.SSL.Context: the configuration shared by
 * Connections (an SSL_CTX).
 *
 * Every method that changes the SSL_CTX holds the Context lock exclusively
 * (lock.c), and does all its Python-level work -- argument conversion,
 * calls into cryptography -- before taking it, so that no Python code runs
 * while other threads' handshakes wait. Callbacks are stored here and read
 * by the trampolines in callbacks.c when they fire.
 */
#include "ssl.h"

#include <openssl/core_names.h>
#include <unistd.h>

/* ------------------------------------------------------------------------
 * Helpers
 * --------------------------------------------------------------------- */

static int
context_check(ContextObject *self)
{
    if (self->ctx == NULL) {
        PyErr_SetString(PyExc_AttributeError,
                        "this Context is not initialised: "
                        "Context.__init__(method) was not called");
        return -1;
    }
    return 0;
}

#define CONTEXT_READY(self)                                                  \
    do {                                                                     \
        if (context_check(self) < 0)                                         \
            return NULL;                                                     \
    } while (0)

/* Parse one int argument as pyOpenSSL does (TypeError "<name> must be an
 * integer" for anything else). */
static int
parse_int_arg(PyObject *args, PyObject *kwargs, const char *fmt,
              char **kwlist, long *out)
{
    PyObject *obj;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &obj))
        return -1;
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an integer", kwlist[0]);
        return -1;
    }
    *out = PyLong_AsLong(obj);
    if (*out == -1 && PyErr_Occurred())
        return -1;
    return 0;
}

/* The same, for a 64-bit option mask. */
static int
parse_mask_arg(PyObject *args, PyObject *kwargs, const char *fmt,
               char **kwlist, uint64_t *out)
{
    PyObject *obj;
    unsigned long long value;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &obj))
        return -1;
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be an integer", kwlist[0]);
        return -1;
    }
    value = PyLong_AsUnsignedLongLong(obj);
    if (value == (unsigned long long)-1 && PyErr_Occurred())
        return -1;
    *out = (uint64_t)value;
    return 0;
}

PyObject *
ssl_alpn_wire(ssl_state *st, PyObject *protos)
{
    PyObject *seq, *result;
    Py_ssize_t i, n, total = 0;
    char *p;

    seq = PySequence_Fast(protos, "protos must be a list of bytes");
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    if (n == 0) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError,
                        "at least one protocol must be specified");
        return NULL;
    }
    for (i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t len;
        if (!PyBytes_Check(item)) {
            Py_DECREF(seq);
            PyErr_Format(PyExc_TypeError,
                         "protocols must be bytes, not %.100s",
                         Py_TYPE(item)->tp_name);
            return NULL;
        }
        len = PyBytes_GET_SIZE(item);
        if (len == 0) {
            /* OpenSSL refuses it, and pyOpenSSL raises Error([]) then;
             * it is a bad value too (API.md 3.1 rule 3). */
            PyObject *empty = PyList_New(0);
            Py_DECREF(seq);
            if (empty != NULL) {
                PyErr_SetObject(st->ErrorValueError, empty);
                Py_DECREF(empty);
            }
            return NULL;
        }
        if (len > 255) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError,
                            "bytes must be in range(0, 256)");
            return NULL;
        }
        total += 1 + len;
    }
    if (total > INT_MAX) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "protocol list is too long");
        return NULL;
    }
    result = PyBytes_FromStringAndSize(NULL, total);
    if (result == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    p = PyBytes_AS_STRING(result);
    for (i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t len = PyBytes_GET_SIZE(item);
        *p++ = (char)len;
        memcpy(p, PyBytes_AS_STRING(item), (size_t)len);
        p += len;
    }
    Py_DECREF(seq);
    return result;
}

/* Put `value` (a new reference or NULL) in *slot and return what was
 * there, so that the caller can drop it after releasing the Context lock:
 * dropping a callback may run arbitrary Python code (a __del__). */
static PyObject *
swap_ref(PyObject **slot, PyObject *value)
{
    PyObject *old = *slot;
    *slot = value;
    return old;
}

/* ------------------------------------------------------------------------
 * Lifecycle
 * --------------------------------------------------------------------- */

static PyObject *
context_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    ContextObject *self;
    ssl_state *st = ssl_state_of_type(type);

    (void)args;
    (void)kwargs;
    if (st == NULL)
        return NULL;
    self = (ContextObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->state = st;
    if (pyossl_rwlock_init(&self->lock) < 0) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    self->lock_ready = 1;
    pyossl_passphrase_init(&self->passwd, NULL, NULL, 1, 1,
                           st->ErrorValueError);
    return (PyObject *)self;
}

/* SSL_CTX for one of pyOpenSSL's method numbers; *pin the version a
 * TLSv1*_METHOD pins (0 for none). NULL with ValueError if unknown. */
static const SSL_METHOD *
method_for(long method, int *pin)
{
    *pin = 0;
    switch (method) {
    case SSLv23_METHOD:
    case TLS_METHOD:
        return TLS_method();
    case TLSv1_METHOD:
        *pin = TLS1_VERSION;
        return TLS_method();
    case TLSv1_1_METHOD:
        *pin = TLS1_1_VERSION;
        return TLS_method();
    case TLSv1_2_METHOD:
        *pin = TLS1_2_VERSION;
        return TLS_method();
    case TLS_SERVER_METHOD:
        return TLS_server_method();
    case TLS_CLIENT_METHOD:
        return TLS_client_method();
    case DTLS_METHOD:
        return DTLS_method();
    case DTLS_SERVER_METHOD:
        return DTLS_server_method();
    case DTLS_CLIENT_METHOD:
        return DTLS_client_method();
    default:
        /* Including SSLv2_METHOD and SSLv3_METHOD: no such protocol any
         * more (API.md 3.3). */
        PyErr_SetString(PyExc_ValueError, "No such protocol");
        return NULL;
    }
}

static int
context_init(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"method", NULL};
    const SSL_METHOD *meth;
    SSL_CTX *ctx;
    long method;
    int pin;

    if (parse_int_arg(args, kwargs, "O:Context", kwlist, &method) < 0)
        return -1;
    if (self->ctx != NULL) {
        PyErr_SetString(PyExc_TypeError,
                        "Context.__init__() may only be called once");
        return -1;
    }
    meth = method_for(method, &pin);
    if (meth == NULL)
        return -1;
    ctx = SSL_CTX_new(meth);
    if (ctx == NULL)
        return pyossl_raise_error_queue_int(self->state->Error);
    if (pin && (SSL_CTX_set_min_proto_version(ctx, pin) != 1 ||
                SSL_CTX_set_max_proto_version(ctx, pin) != 1)) {
        SSL_CTX_free(ctx);
        return pyossl_raise_error_queue_int(self->state->Error);
    }
    /* pyOpenSSL 26.4's modes (API.md 3.2 row 33). */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                          SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    /* Our passphrase callback is always installed: without a Python
     * callback it answers "no passphrase", so that OpenSSL never prompts
     * on the terminal for an encrypted key. */
    SSL_CTX_set_default_passwd_cb(ctx, pyossl_passphrase_cb);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, &self->passwd);
    SSL_CTX_set_app_data(ctx, self);
    /* OpenSSL picks the servername callback of either the current or the
     * session SSL_CTX of a connection; the argument says whose it is. */
    SSL_CTX_set_tlsext_servername_arg(ctx, self);
    self->ctx = ctx;
    return 0;
}

static int
context_traverse(ContextObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->app_data);
    Py_VISIT(self->verify_cb);
    Py_VISIT(self->info_cb);
    Py_VISIT(self->passwd_cb);
    Py_VISIT(self->passwd_userdata);
    Py_VISIT(self->servername_cb);
    Py_VISIT(self->alpn_select_cb);
    Py_VISIT(self->ocsp_cb);
    Py_VISIT(self->ocsp_data);
    Py_VISIT(self->keylog_cb);
    Py_VISIT(self->cookie_generate_cb);
    Py_VISIT(self->cookie_verify_cb);
    Py_VISIT(self->capsule);
    return 0;
}

static int
context_clear(ContextObject *self)
{
    Py_CLEAR(self->app_data);
    Py_CLEAR(self->verify_cb);
    Py_CLEAR(self->info_cb);
    self->passwd.passphrase = NULL;
    self->passwd.userdata = NULL;
    Py_CLEAR(self->passwd_cb);
    Py_CLEAR(self->passwd_userdata);
    Py_CLEAR(self->servername_cb);
    Py_CLEAR(self->alpn_select_cb);
    Py_CLEAR(self->ocsp_cb);
    Py_CLEAR(self->ocsp_data);
    Py_CLEAR(self->keylog_cb);
    Py_CLEAR(self->cookie_generate_cb);
    Py_CLEAR(self->cookie_verify_cb);
    Py_CLEAR(self->capsule);
    return 0;
}

static void
context_dealloc(ContextObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    context_clear(self);
    pyossl_passphrase_clear(&self->passwd);
    if (self->ctx != NULL) {
        /* SSL objects may keep the SSL_CTX alive (as their session
         * context): make sure no callback can find this object any more. */
        SSL_CTX_set_app_data(self->ctx, NULL);
        SSL_CTX_set_default_passwd_cb_userdata(self->ctx, NULL);
        SSL_CTX_free(self->ctx);
    }
    if (self->lock_ready)
        pyossl_rwlock_destroy(&self->lock);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Protocol versions, options, modes, timeouts
 * --------------------------------------------------------------------- */

static PyObject *
set_proto_version(ContextObject *self, PyObject *args, PyObject *kwargs,
                  int max)
{
    static char *kwlist[] = {"version", NULL};
    long version;
    int ok;

    CONTEXT_READY(self);
    if (parse_int_arg(args, kwargs, max ? "O:set_max_proto_version"
                                        : "O:set_min_proto_version",
                      kwlist, &version) < 0)
        return NULL;
    if (version < INT_MIN || version > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "version out of range");
        return NULL;
    }
    CONTEXT_MUTATE_BEGIN(self);
    ok = max ? SSL_CTX_set_max_proto_version(self->ctx, (int)version)
             : SSL_CTX_set_min_proto_version(self->ctx, (int)version);
    CONTEXT_MUTATE_END(self);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_min_proto_version_doc,
"set_min_proto_version($self, /, version)\n--\n\n"
"Set the minimum supported protocol version (TLS1_VERSION, ...); 0\n"
"enables versions down to the lowest the library supports.\n\n"
":raises Error: if the library does not support that version.");

static PyObject *
context_set_min_proto_version(ContextObject *self, PyObject *args,
                              PyObject *kwargs)
{
    return set_proto_version(self, args, kwargs, 0);
}

PyDoc_STRVAR(context_set_max_proto_version_doc,
"set_max_proto_version($self, /, version)\n--\n\n"
"Set the maximum supported protocol version; 0 enables versions up to\n"
"the highest the library supports.\n\n"
":raises Error: if the library does not support that version.");

static PyObject *
context_set_max_proto_version(ContextObject *self, PyObject *args,
                              PyObject *kwargs)
{
    return set_proto_version(self, args, kwargs, 1);
}

PyDoc_STRVAR(context_set_options_doc,
"set_options($self, /, options)\n--\n\n"
"Add options (OP_* constants). Options set before are not cleared.\n\n"
":return: The new option bitmask.");

static PyObject *
context_set_options(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"options", NULL};
    uint64_t options, result;

    CONTEXT_READY(self);
    if (parse_mask_arg(args, kwargs, "O:set_options", kwlist, &options) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    result = SSL_CTX_set_options(self->ctx, options);
    CONTEXT_MUTATE_END(self);
    return PyLong_FromUnsignedLongLong(result);
}

PyDoc_STRVAR(context_set_mode_doc,
"set_mode($self, /, mode)\n--\n\n"
"Add modes (MODE_* constants). Modes set before are not cleared.\n\n"
":return: The new mode bitmask.");

static PyObject *
context_set_mode(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"mode", NULL};
    long mode, result;

    CONTEXT_READY(self);
    if (parse_int_arg(args, kwargs, "O:set_mode", kwlist, &mode) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    result = SSL_CTX_set_mode(self->ctx, mode);
    CONTEXT_MUTATE_END(self);
    return PyLong_FromLong(result);
}

PyDoc_STRVAR(context_clear_mode_doc,
"clear_mode($self, /, mode_to_clear)\n--\n\n"
"Clear modes set before.\n\n"
":return: The new mode bitmask.");

static PyObject *
context_clear_mode(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"mode_to_clear", NULL};
    long mode, result;

    CONTEXT_READY(self);
    if (parse_int_arg(args, kwargs, "O:clear_mode", kwlist, &mode) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    result = SSL_CTX_clear_mode(self->ctx, mode);
    CONTEXT_MUTATE_END(self);
    return PyLong_FromLong(result);
}

PyDoc_STRVAR(context_set_timeout_doc,
"set_timeout($self, /, timeout)\n--\n\n"
"Set the timeout for newly created sessions, in whole seconds.\n\n"
":return: The previous timeout.");

static PyObject *
context_set_timeout(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"timeout", NULL};
    long timeout, previous;

    CONTEXT_READY(self);
    if (parse_int_arg(args, kwargs, "O:set_timeout", kwlist, &timeout) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    previous = SSL_CTX_set_timeout(self->ctx, timeout);
    CONTEXT_MUTATE_END(self);
    return PyLong_FromLong(previous);
}

PyDoc_STRVAR(context_get_timeout_doc,
"get_timeout($self, /)\n--\n\n"
"Retrieve the session timeout, as set by set_timeout() (OpenSSL's\n"
"default is 7200 seconds).");

static PyObject *
context_get_timeout(ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    CONTEXT_READY(self);
    return PyLong_FromLong(SSL_CTX_get_timeout(self->ctx));
}

PyDoc_STRVAR(context_set_session_cache_mode_doc,
"set_session_cache_mode($self, /, mode)\n--\n\n"
"Set the behaviour of the session cache used by all connections using\n"
"this Context (SESS_CACHE_* flags).\n\n"
":return: The previously set caching mode.");

static PyObject *
context_set_session_cache_mode(ContextObject *self, PyObject *args,
                               PyObject *kwargs)
{
    static char *kwlist[] = {"mode", NULL};
    long mode, previous;

    CONTEXT_READY(self);
    if (parse_int_arg(args, kwargs, "O:set_session_cache_mode", kwlist,
                      &mode) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    previous = SSL_CTX_set_session_cache_mode(self->ctx, mode);
    CONTEXT_MUTATE_END(self);
    return PyLong_FromLong(previous);
}

PyDoc_STRVAR(context_get_session_cache_mode_doc,
"get_session_cache_mode($self, /)\n--\n\n"
"Get the current session cache mode.");

static PyObject *
context_get_session_cache_mode(ContextObject *self,
                               PyObject *Py_UNUSED(ignored))
{
    CONTEXT_READY(self);
    return PyLong_FromLong(SSL_CTX_get_session_cache_mode(self->ctx));
}

PyDoc_STRVAR(context_set_session_id_doc,
"set_session_id($self, /, buf)\n--\n\n"
"Set the session id context (bytes, at most 32) within which a session\n"
"can be reused for this Context.\n\n"
":raises Error: if OpenSSL rejects it.");

static PyObject *
context_set_session_id(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"buf", NULL};
    PyObject *obj;
    pyossl_bytes buf;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_session_id",
                                     kwlist, &obj))
        return NULL;
    if (pyossl_bytes_or_text_warn(obj, "buf", 1, &buf) < 0)
        return NULL;
    if (buf.len > UINT_MAX) {
        pyossl_bytes_release(&buf);
        PyErr_SetString(PyExc_ValueError, "session id is too long");
        return NULL;
    }
    CONTEXT_MUTATE_BEGIN(self);
    ok = SSL_CTX_set_session_id_context(
        self->ctx, (const unsigned char *)buf.data, (unsigned int)buf.len);
    CONTEXT_MUTATE_END(self);
    pyossl_bytes_release(&buf);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * Verification
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(context_set_verify_doc,
"set_verify($self, /, mode, callback=None)\n--\n\n"
"Set the verification flags (VERIFY_*) and an optional verification\n"
"callback, called as callback(conn, cert, errnum, depth, ok); it returns\n"
"a true value to accept the certificate. An exception it raises is\n"
"re-raised from the I/O call that ran the handshake. None means\n"
"OpenSSL's built-in verification only.\n\n"
"Connections made before keep the callback they were made with.");

static PyObject *
context_set_verify(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *old;
    static char *kwlist[] = {"mode", "callback", NULL};
    PyObject *mode_obj, *callback = Py_None;
    long mode;

    CONTEXT_READY(self);
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
    if (callback != Py_None && !PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        return NULL;
    }
    if (callback == Py_None)
        callback = NULL;
    CONTEXT_MUTATE_BEGIN(self);
    old = swap_ref(&self->verify_cb, Py_XNewRef(callback));
    SSL_CTX_set_verify(self->ctx, (int)mode,
                       callback ? ssl_verify_trampoline : NULL);
    CONTEXT_MUTATE_END(self);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_verify_depth_doc,
"set_verify_depth($self, /, depth)\n--\n\n"
"Set the maximum depth for the certificate chain verification.");

static PyObject *
context_set_verify_depth(ContextObject *self, PyObject *args,
                         PyObject *kwargs)
{
    static char *kwlist[] = {"depth", NULL};
    long depth;

    CONTEXT_READY(self);
    if (parse_int_arg(args, kwargs, "O:set_verify_depth", kwlist, &depth) < 0)
        return NULL;
    if (depth < INT_MIN || depth > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "depth out of range");
        return NULL;
    }
    CONTEXT_MUTATE_BEGIN(self);
    SSL_CTX_set_verify_depth(self->ctx, (int)depth);
    CONTEXT_MUTATE_END(self);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_get_verify_mode_doc,
"get_verify_mode($self, /)\n--\n\n"
"Retrieve the verify mode, as set by set_verify().");

static PyObject *
context_get_verify_mode(ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    CONTEXT_READY(self);
    return PyLong_FromLong(SSL_CTX_get_verify_mode(self->ctx));
}

PyDoc_STRVAR(context_get_verify_depth_doc,
"get_verify_depth($self, /)\n--\n\n"
"Retrieve the verify depth, as set by set_verify_depth().");

static PyObject *
context_get_verify_depth(ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    CONTEXT_READY(self);
    return PyLong_FromLong(SSL_CTX_get_verify_depth(self->ctx));
}

/* Load verify locations with the GIL released (file I/O). */
static int
load_locations(ContextObject *self, const char *cafile, const char *capath)
{
    int ok;
    CONTEXT_MUTATE_BEGIN(self);
    Py_BEGIN_ALLOW_THREADS
    ok = SSL_CTX_load_verify_locations(self->ctx, cafile, capath);
    Py_END_ALLOW_THREADS
    CONTEXT_MUTATE_END(self);
    return ok;
}

PyDoc_STRVAR(context_load_verify_locations_doc,
"load_verify_locations($self, /, cafile, capath=None)\n--\n\n"
"Let SSL know where to find trusted certificates: a PEM file and/or a\n"
"directory prepared with c_rehash (str, bytes or path-like; either may\n"
"be None).\n\n"
":raises Error: if loading fails, or if both are None.");

static PyObject *
context_load_verify_locations(ContextObject *self, PyObject *args,
                              PyObject *kwargs)
{
    static char *kwlist[] = {"cafile", "capath", NULL};
    PyObject *cafile = NULL, *capath = NULL;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs,
                                     "O&|O&:load_verify_locations", kwlist,
                                     pyossl_path_or_none_converter, &cafile,
                                     pyossl_path_or_none_converter, &capath))
        return NULL;
    ok = load_locations(self, cafile ? PyBytes_AS_STRING(cafile) : NULL,
                        capath ? PyBytes_AS_STRING(capath) : NULL);
    Py_XDECREF(cafile);
    Py_XDECREF(capath);
    if (!ok)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

/* The paths cryptography's manylinux wheels compile in: when the library
 * reports them, pyOpenSSL also tries the usual Linux locations. */
#define MANYLINUX_CA_DIR "/opt/pyca/cryptography/openssl/certs"
#define MANYLINUX_CA_FILE "/opt/pyca/cryptography/openssl/cert.pem"

PyDoc_STRVAR(context_set_default_verify_paths_doc,
"set_default_verify_paths($self, /)\n--\n\n"
"Use the platform's CA certificates for verification (the locations\n"
"OpenSSL was built with, or SSL_CERT_FILE / SSL_CERT_DIR).");

static PyObject *
context_set_default_verify_paths(ContextObject *self,
                                 PyObject *Py_UNUSED(ignored))
{
    static const char *const files[] = {
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/ca-bundle.pem",
        "/etc/pki/tls/cacert.pem",
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        NULL
    };
    int ok;
    size_t i;

    CONTEXT_READY(self);
    CONTEXT_MUTATE_BEGIN(self);
    Py_BEGIN_ALLOW_THREADS
    ok = SSL_CTX_set_default_verify_paths(self->ctx);
    Py_END_ALLOW_THREADS
    CONTEXT_MUTATE_END(self);
    if (ok != 1)
        return SSL_RAISE(self->state);
    if (getenv("SSL_CERT_FILE") == NULL && getenv("SSL_CERT_DIR") == NULL &&
        strcmp(X509_get_default_cert_dir(), MANYLINUX_CA_DIR) == 0 &&
        strcmp(X509_get_default_cert_file(), MANYLINUX_CA_FILE) == 0) {
        for (i = 0; files[i] != NULL; i++) {
            if (access(files[i], R_OK) == 0) {
                if (!load_locations(self, files[i], NULL))
                    return SSL_RAISE(self->state);
                break;
            }
        }
        if (access("/etc/ssl/certs", R_OK) == 0 &&
            !load_locations(self, NULL, "/etc/ssl/certs"))
            return SSL_RAISE(self->state);
    }
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_get_cert_store_doc,
"get_cert_store($self, /)\n--\n\n"
"Get the certificate store of the context (the store itself, not a\n"
"copy), to add trusted certificates to it, or None.");

static PyObject *
context_get_cert_store(ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    X509_STORE *store;
    CONTEXT_READY(self);
    store = SSL_CTX_get_cert_store(self->ctx);
    if (store == NULL)
        Py_RETURN_NONE;
    return self->state->crypto->x509store_from_ptr(self->state->crypto,
                                                    store, (PyObject *)self);
}

/* ------------------------------------------------------------------------
 * Certificates and keys
 * --------------------------------------------------------------------- */

/* Parse a path and an optional filetype (default FILETYPE_PEM). */
static int
parse_file_args(PyObject *args, PyObject *kwargs, const char *fmt,
                char **kwlist, PyObject **path, int *filetype)
{
    PyObject *type_obj = NULL;
    long type = SSL_FILETYPE_PEM;

    *path = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist,
                                     pyossl_path_converter, path, &type_obj))
        return -1;
    if (type_obj != NULL) {
        if (!PyLong_Check(type_obj)) {
            Py_CLEAR(*path);
            PyErr_SetString(PyExc_TypeError, "filetype must be an integer");
            return -1;
        }
        type = PyLong_AsLong(type_obj);
        if ((type == -1 && PyErr_Occurred()) || type < INT_MIN ||
            type > INT_MAX) {
            Py_CLEAR(*path);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_OverflowError, "filetype out of range");
            return -1;
        }
    }
    *filetype = (int)type;
    return 0;
}

/* A certificate file is read with the Context's passphrase callback (a PEM
 * block may carry encryption headers), whose problem, if it had one, is
 * not what these loads report: they raise Error from the queue, as
 * pyOpenSSL does. Take that problem out of the helper with the lock held,
 * for the caller to drop after releasing it, so that it neither stays on
 * the Context (a traceback it is not traversed for) nor comes out of a
 * later, unrelated key load. */
typedef struct {
    PyObject *type, *value, *tb;
} passphrase_problem;

static void
take_passphrase_problem(ContextObject *self, passphrase_problem *p)
{
    p->type = self->passwd.exc_type;
    p->value = self->passwd.exc_value;
    p->tb = self->passwd.exc_tb;
    self->passwd.exc_type = self->passwd.exc_value = NULL;
    self->passwd.exc_tb = NULL;
}

static void
drop_passphrase_problem(passphrase_problem *p)
{
    Py_XDECREF(p->type);
    Py_XDECREF(p->value);
    Py_XDECREF(p->tb);
}

PyDoc_STRVAR(context_use_certificate_file_doc,
"use_certificate_file($self, /, certfile, filetype=1)\n--\n\n"
"Load a certificate from a file (filetype FILETYPE_PEM, the default,\n"
"or FILETYPE_ASN1).");

static PyObject *
context_use_certificate_file(ContextObject *self, PyObject *args,
                             PyObject *kwargs)
{
    static char *kwlist[] = {"certfile", "filetype", NULL};
    passphrase_problem problem;
    PyObject *path;
    int filetype, ok;

    CONTEXT_READY(self);
    if (parse_file_args(args, kwargs, "O&|O:use_certificate_file", kwlist,
                        &path, &filetype) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    Py_BEGIN_ALLOW_THREADS
    ok = SSL_CTX_use_certificate_file(self->ctx, PyBytes_AS_STRING(path),
                                      filetype);
    Py_END_ALLOW_THREADS
    take_passphrase_problem(self, &problem);
    CONTEXT_MUTATE_END(self);
    drop_passphrase_problem(&problem);
    Py_DECREF(path);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_use_certificate_chain_file_doc,
"use_certificate_chain_file($self, /, certfile)\n--\n\n"
"Load a certificate chain from a PEM file: the certificate first, then\n"
"its chain.");

static PyObject *
context_use_certificate_chain_file(ContextObject *self, PyObject *args,
                                   PyObject *kwargs)
{
    static char *kwlist[] = {"certfile", NULL};
    passphrase_problem problem;
    PyObject *path = NULL;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs,
                                     "O&:use_certificate_chain_file", kwlist,
                                     pyossl_path_converter, &path))
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    Py_BEGIN_ALLOW_THREADS
    ok = SSL_CTX_use_certificate_chain_file(self->ctx,
                                            PyBytes_AS_STRING(path));
    Py_END_ALLOW_THREADS
    take_passphrase_problem(self, &problem);
    CONTEXT_MUTATE_END(self);
    drop_passphrase_problem(&problem);
    Py_DECREF(path);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

/* Raise what a failed private-key load means: a problem of the passphrase
 * callback if it had one, else Error from the queue. */
static PyObject *
raise_key_load_error(ContextObject *self)
{
    if (pyossl_passphrase_raise_if_problem(&self->passwd) < 0)
        return NULL;
    return SSL_RAISE(self->state);
}

PyDoc_STRVAR(context_use_privatekey_file_doc,
"use_privatekey_file($self, /, keyfile, filetype=1)\n--\n\n"
"Load a private key from a file (filetype FILETYPE_PEM, the default,\n"
"or FILETYPE_ASN1). An encrypted PEM key asks the\n"
"passphrase callback (set_passwd_cb); an exception raised there\n"
"propagates from here.");

static PyObject *
context_use_privatekey_file(ContextObject *self, PyObject *args,
                            PyObject *kwargs)
{
    static char *kwlist[] = {"keyfile", "filetype", NULL};
    PyObject *path;
    int filetype, ok;

    CONTEXT_READY(self);
    if (parse_file_args(args, kwargs, "O&|O:use_privatekey_file", kwlist,
                        &path, &filetype) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    pyossl_passphrase_clear(&self->passwd);
    Py_BEGIN_ALLOW_THREADS
    ok = SSL_CTX_use_PrivateKey_file(self->ctx, PyBytes_AS_STRING(path),
                                     filetype);
    Py_END_ALLOW_THREADS
    CONTEXT_MUTATE_END(self);
    Py_DECREF(path);
    if (ok != 1)
        return raise_key_load_error(self);
    pyossl_passphrase_clear(&self->passwd);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_use_certificate_doc,
"use_certificate($self, /, cert)\n--\n\n"
"Use a certificate: an X509, or a cryptography Certificate.");

static PyObject *
context_use_certificate(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cert", NULL};
    const pyossl_crypto_capi *api = self->state->crypto;
    PyObject *obj;
    X509 *x509;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:use_certificate",
                                     kwlist, &obj))
        return NULL;
    x509 = api->x509_from_any(api, obj);
    if (x509 == NULL)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    ok = SSL_CTX_use_certificate(self->ctx, x509);
    CONTEXT_MUTATE_END(self);
    X509_free(x509);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_add_extra_chain_cert_doc,
"add_extra_chain_cert($self, /, certobj)\n--\n\n"
"Add a certificate (X509 or cryptography Certificate) to the chain sent\n"
"with the certificate.");

static PyObject *
context_add_extra_chain_cert(ContextObject *self, PyObject *args,
                             PyObject *kwargs)
{
    static char *kwlist[] = {"certobj", NULL};
    const pyossl_crypto_capi *api = self->state->crypto;
    PyObject *obj;
    X509 *x509, *copy;
    long ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:add_extra_chain_cert",
                                     kwlist, &obj))
        return NULL;
    x509 = api->x509_from_any(api, obj);
    if (x509 == NULL)
        return NULL;
    /* The chain takes ownership of what we give it: give it a copy, so
     * that changing the X509 object later does not change the chain. */
    copy = X509_dup(x509);
    X509_free(x509);
    if (copy == NULL)
        return SSL_RAISE(self->state);
    CONTEXT_MUTATE_BEGIN(self);
    ok = SSL_CTX_add_extra_chain_cert(self->ctx, copy);
    CONTEXT_MUTATE_END(self);
    if (!ok) {
        X509_free(copy);
        return SSL_RAISE(self->state);
    }
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_use_privatekey_doc,
"use_privatekey($self, /, pkey)\n--\n\n"
"Use a private key: a PKey, or a cryptography private key.");

static PyObject *
context_use_privatekey(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"pkey", NULL};
    const pyossl_crypto_capi *api = self->state->crypto;
    PyObject *obj;
    EVP_PKEY *pkey;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:use_privatekey",
                                     kwlist, &obj))
        return NULL;
    pkey = api->pkey_from_any(api, obj);
    if (pkey == NULL)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    ok = SSL_CTX_use_PrivateKey(self->ctx, pkey);
    CONTEXT_MUTATE_END(self);
    EVP_PKEY_free(pkey);
    if (ok != 1)
        return raise_key_load_error(self);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_check_privatekey_doc,
"check_privatekey($self, /)\n--\n\n"
"Check that the private key matches the certificate.\n\n"
":raises Error: if it does not.");

static PyObject *
context_check_privatekey(ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    int ok;
    CONTEXT_READY(self);
    pyossl_rwlock_acquire_shared(&self->lock);
    ok = SSL_CTX_check_private_key(self->ctx);
    pyossl_rwlock_release_shared(&self->lock);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_passwd_cb_doc,
"set_passwd_cb($self, /, callback, userdata=None)\n--\n\n"
"Set the passphrase callback, called as callback(maxlen, rwflag,\n"
"userdata) when an encrypted private key is loaded. It returns the\n"
"passphrase as bytes; a longer one is cut to maxlen. A non-bytes result\n"
"raises Error+ValueError('Bytes expected') from the key load.");

static PyObject *
context_set_passwd_cb(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *old, *old_data;
    static char *kwlist[] = {"callback", "userdata", NULL};
    PyObject *callback, *userdata = Py_None;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:set_passwd_cb",
                                     kwlist, &callback, &userdata))
        return NULL;
    if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        return NULL;
    }
    CONTEXT_MUTATE_BEGIN(self);
    old = swap_ref(&self->passwd_cb, Py_NewRef(callback));
    old_data = swap_ref(&self->passwd_userdata, Py_NewRef(userdata));
    self->passwd.passphrase = self->passwd_cb;
    self->passwd.userdata = self->passwd_userdata;
    CONTEXT_MUTATE_END(self);
    Py_XDECREF(old);
    Py_XDECREF(old_data);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * Client CAs, DH and ECDH parameters, ciphers
 * --------------------------------------------------------------------- */

/* SSL_load_client_CA_file(), with our passphrase callback: OpenSSL's
 * reads the file with the default one, which asks on the terminal when a
 * PEM block claims to be encrypted. The subjects of the certificates in a
 * PEM file, without duplicates; NULL with the error queue set if there are
 * none or the file cannot be read. Runs without the GIL. */
static STACK_OF(X509_NAME) *
load_client_ca_names(const char *path)
{
    STACK_OF(X509_NAME) *names = NULL;
    BIO *in = BIO_new_file(path, "r");
    X509 *x509;

    if (in == NULL)
        return NULL;
    while ((x509 = PEM_read_bio_X509(in, NULL, pyossl_passphrase_cb,
                                     NULL)) != NULL) {
        X509_NAME *name = X509_get_subject_name(x509);
        int i, n, seen = 0;

        if (names == NULL && (names = sk_X509_NAME_new_null()) == NULL)
            goto fail;
        n = sk_X509_NAME_num(names);
        for (i = 0; i < n && !seen; i++)
            seen = X509_NAME_cmp(sk_X509_NAME_value(names, i), name) == 0;
        if (!seen) {
            X509_NAME *copy = X509_NAME_dup(name);
            if (copy == NULL || !sk_X509_NAME_push(names, copy)) {
                X509_NAME_free(copy);
                goto fail;
            }
        }
        X509_free(x509);
    }
    BIO_free(in);
    if (names != NULL)
        pyossl_clear_errors();  /* the end of the file, not an error */
    return names;

fail:
    X509_free(x509);
    BIO_free(in);
    sk_X509_NAME_pop_free(names, X509_NAME_free);
    return NULL;
}

PyDoc_STRVAR(context_load_client_ca_doc,
"load_client_ca($self, /, cafile)\n--\n\n"
"Load the CA certificates (a PEM file; the path as bytes) whose names\n"
"are sent to clients when a client certificate is requested.\n\n"
":raises Error: if the file cannot be loaded.");

static PyObject *
context_load_client_ca(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cafile", NULL};
    STACK_OF(X509_NAME) *names;
    PyObject *obj;
    pyossl_bytes path;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:load_client_ca",
                                     kwlist, &obj))
        return NULL;
    if (pyossl_bytes_or_text_warn(obj, "cafile", 0, &path) < 0)
        return NULL;
    if ((size_t)path.len != strlen(path.data)) {
        pyossl_bytes_release(&path);
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    names = load_client_ca_names(path.data);
    Py_END_ALLOW_THREADS
    pyossl_bytes_release(&path);
    if (names == NULL)
        return SSL_RAISE(self->state);
    CONTEXT_MUTATE_BEGIN(self);
    SSL_CTX_set_client_CA_list(self->ctx, names);
    CONTEXT_MUTATE_END(self);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_client_ca_list_doc,
"set_client_ca_list($self, /, certificate_authorities)\n--\n\n"
"Replace the list of preferred client certificate signers with the\n"
"X509Name objects of an iterable.");

static PyObject *
context_set_client_ca_list(ContextObject *self, PyObject *args,
                           PyObject *kwargs)
{
    static char *kwlist[] = {"certificate_authorities", NULL};
    const pyossl_crypto_capi *api = self->state->crypto;
    STACK_OF(X509_NAME) *names;
    PyObject *iterable, *iter, *item;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_client_ca_list",
                                     kwlist, &iterable))
        return NULL;
    iter = PyObject_GetIter(iterable);
    if (iter == NULL)
        return NULL;
    names = sk_X509_NAME_new_null();
    if (names == NULL) {
        Py_DECREF(iter);
        return SSL_RAISE(self->state);
    }
    while ((item = PyIter_Next(iter)) != NULL) {
        X509_NAME *name, *copy;
        if (!PyObject_TypeCheck(item, api->X509Name_Type)) {
            PyErr_Format(PyExc_TypeError,
                         "client CAs must be X509Name objects, not %s "
                         "objects", pyossl_type_short_name(Py_TYPE(item)));
            Py_DECREF(item);
            goto fail;
        }
        /* The X509_NAME belongs to `item`, which may be the iterator's
         * only reference (a generator yielding fresh X509Name objects):
         * copy it before letting go of the item. */
        name = api->x509name_ptr(api, item);
        copy = name != NULL ? X509_NAME_dup(name) : NULL;
        Py_DECREF(item);
        if (name == NULL)
            goto fail;
        if (copy == NULL || !sk_X509_NAME_push(names, copy)) {
            X509_NAME_free(copy);
            SSL_RAISE(self->state);
            goto fail;
        }
    }
    Py_DECREF(iter);
    if (PyErr_Occurred()) {
        sk_X509_NAME_pop_free(names, X509_NAME_free);
        return NULL;
    }
    CONTEXT_MUTATE_BEGIN(self);
    SSL_CTX_set_client_CA_list(self->ctx, names);
    CONTEXT_MUTATE_END(self);
    Py_RETURN_NONE;

fail:
    Py_DECREF(iter);
    sk_X509_NAME_pop_free(names, X509_NAME_free);
    return NULL;
}

PyDoc_STRVAR(context_add_client_ca_doc,
"add_client_ca($self, /, certificate_authority)\n--\n\n"
"Add the subject of a CA certificate (X509 or cryptography Certificate)\n"
"to the list of preferred client certificate signers.");

static PyObject *
context_add_client_ca(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"certificate_authority", NULL};
    const pyossl_crypto_capi *api = self->state->crypto;
    PyObject *obj;
    X509 *x509;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:add_client_ca", kwlist,
                                     &obj))
        return NULL;
    x509 = api->x509_from_any(api, obj);
    if (x509 == NULL)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    ok = SSL_CTX_add_client_CA(self->ctx, x509);
    CONTEXT_MUTATE_END(self);
    X509_free(x509);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_load_tmp_dh_doc,
"load_tmp_dh($self, /, dhfile)\n--\n\n"
"Load parameters for ephemeral Diffie-Hellman from a PEM file.\n\n"
":raises Error: if the file cannot be read or parsed.");

static PyObject *
context_load_tmp_dh(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"dhfile", NULL};
    PyObject *path = NULL;
    EVP_PKEY *params = NULL;
    BIO *bio;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:load_tmp_dh", kwlist,
                                     pyossl_path_converter, &path))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    bio = BIO_new_file(PyBytes_AS_STRING(path), "r");
    if (bio != NULL) {
        params = PEM_read_bio_Parameters(bio, NULL);
        BIO_free(bio);
    }
    Py_END_ALLOW_THREADS
    Py_DECREF(path);
    if (params == NULL)
        return SSL_RAISE(self->state);
    if (EVP_PKEY_get_base_id(params) != EVP_PKEY_DH &&
        EVP_PKEY_get_base_id(params) != EVP_PKEY_DHX) {
        /* Parameters, but not DH ones (EC parameters, say). */
        EVP_PKEY_free(params);
        ERR_raise_data(ERR_LIB_SSL, ERR_R_PASSED_INVALID_ARGUMENT,
                       "not Diffie-Hellman parameters");
        return SSL_RAISE(self->state);
    }
    CONTEXT_MUTATE_BEGIN(self);
    ok = SSL_CTX_set0_tmp_dh_pkey(self->ctx, params);
    CONTEXT_MUTATE_END(self);
    if (ok != 1) {
        EVP_PKEY_free(params);
        return SSL_RAISE(self->state);
    }
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_tmp_ecdh_doc,
"set_tmp_ecdh($self, /, curve)\n--\n\n"
"Select the curve for ECDHE key exchange: a cryptography EllipticCurve\n"
"instance or a curve from crypto.get_elliptic_curve(s). As in pyOpenSSL,\n"
"a known curve that TLS cannot use leaves the configuration unchanged.\n\n"
":raises Error: for an unknown curve name.");

static PyObject *
context_set_tmp_ecdh(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"curve", NULL};
    const pyossl_crypto_capi *api = self->state->crypto;
    PyObject *curve;
    int nid;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_tmp_ecdh", kwlist,
                                     &curve))
        return NULL;
    nid = api->curve_nid(api, curve);
    if (nid == NID_undef) {
        /* An unknown curve name is an SSL.Error in pyOpenSSL, with the
         * entries OpenSSL queued; the C API raised crypto.Error. */
        if (PyErr_ExceptionMatches(api->Error)) {
            PyObject *type, *value, *tb, *args;
            PyErr_Fetch(&type, &value, &tb);
            PyErr_NormalizeException(&type, &value, &tb);
            args = value ? PyObject_GetAttrString(value, "args") : NULL;
            Py_XDECREF(type);
            Py_XDECREF(value);
            Py_XDECREF(tb);
            if (args != NULL) {
                PyErr_SetObject(self->state->Error, args);
                Py_DECREF(args);
            }
        }
        return NULL;
    }
    CONTEXT_MUTATE_BEGIN(self);
    if (SSL_CTX_set1_groups(self->ctx, &nid, 1) != 1)
        pyossl_clear_errors();
    CONTEXT_MUTATE_END(self);
    Py_RETURN_NONE;
}

/* A bytes argument that becomes a C string for OpenSSL: bytes only (or str
 * with a DeprecationWarning when warn_label is set), no NUL. */
static int
parse_cstring(PyObject *obj, const char *name, const char *warn_label,
              pyossl_bytes *out)
{
    if (warn_label != NULL) {
        if (pyossl_bytes_or_text_warn(obj, warn_label, 0, out) < 0) {
            if (PyErr_ExceptionMatches(PyExc_TypeError)) {
                PyErr_Clear();
                PyErr_Format(PyExc_TypeError, "%s must be a byte string.",
                             name);
            }
            return -1;
        }
    } else if (!PyBytes_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a byte string.", name);
        return -1;
    } else if (pyossl_bytes_strict(obj, name, out) < 0) {
        return -1;
    }
    if ((size_t)out->len != strlen(out->data)) {
        pyossl_bytes_release(out);
        PyErr_Format(PyExc_ValueError, "%s must not contain NUL bytes",
                     name);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(context_set_cipher_list_doc,
"set_cipher_list($self, /, cipher_list)\n--\n\n"
"Set the list of ciphers (an OpenSSL cipher string, bytes) for TLS 1.2\n"
"and below; set_tls13_ciphersuites() sets the TLS 1.3 ones.\n\n"
":raises Error: if the string selects no cipher ('no cipher match').");

static PyObject *
context_set_cipher_list(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cipher_list", NULL};
    PyObject *obj;
    pyossl_bytes list;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_cipher_list",
                                     kwlist, &obj))
        return NULL;
    if (parse_cstring(obj, "cipher_list", "cipher_list", &list) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    ok = SSL_CTX_set_cipher_list(self->ctx, list.data);
    CONTEXT_MUTATE_END(self);
    pyossl_bytes_release(&list);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_tls13_ciphersuites_doc,
"set_tls13_ciphersuites($self, /, ciphersuites)\n--\n\n"
"Set the list of TLS 1.3 cipher suites (bytes, colon-separated).");

static PyObject *
context_set_tls13_ciphersuites(ContextObject *self, PyObject *args,
                               PyObject *kwargs)
{
    static char *kwlist[] = {"ciphersuites", NULL};
    PyObject *obj;
    pyossl_bytes list;
    int ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_tls13_ciphersuites",
                                     kwlist, &obj))
        return NULL;
    if (parse_cstring(obj, "ciphersuites", NULL, &list) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    ok = SSL_CTX_set_ciphersuites(self->ctx, list.data);
    CONTEXT_MUTATE_END(self);
    pyossl_bytes_release(&list);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_tlsext_use_srtp_doc,
"set_tlsext_use_srtp($self, /, profiles)\n--\n\n"
"Enable SRTP keying material negotiation with a colon-separated list of\n"
"protection profiles (bytes).");

static PyObject *
context_set_tlsext_use_srtp(ContextObject *self, PyObject *args,
                            PyObject *kwargs)
{
    static char *kwlist[] = {"profiles", NULL};
    PyObject *obj;
    pyossl_bytes profiles;
    int rc;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_tlsext_use_srtp",
                                     kwlist, &obj))
        return NULL;
    if (parse_cstring(obj, "profiles", NULL, &profiles) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    rc = SSL_CTX_set_tlsext_use_srtp(self->ctx, profiles.data);
    CONTEXT_MUTATE_END(self);
    pyossl_bytes_release(&profiles);
    if (rc != 0)        /* 0 is success for this one */
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_alpn_protos_doc,
"set_alpn_protos($self, /, protos)\n--\n\n"
"Set the protocols a client offers with ALPN: a list of bytes such as\n"
"[b'h2', b'http/1.1'].\n\n"
":raises ValueError: for an empty list.");

static PyObject *
context_set_alpn_protos(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"protos", NULL};
    PyObject *protos, *wire;
    int rc;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_alpn_protos",
                                     kwlist, &protos))
        return NULL;
    wire = ssl_alpn_wire(self->state, protos);
    if (wire == NULL)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    rc = SSL_CTX_set_alpn_protos(
        self->ctx, (const unsigned char *)PyBytes_AS_STRING(wire),
        (unsigned int)PyBytes_GET_SIZE(wire));
    CONTEXT_MUTATE_END(self);
    Py_DECREF(wire);
    if (rc != 0)        /* 0 is success for this one */
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * Callbacks
 * --------------------------------------------------------------------- */

/* Validate a callback argument. `strict` callbacks must be callable (0.13
 * checked them); for the others None means "remove the callback". Returns
 * the callback (borrowed) or NULL for none; sets *err on error. */
static PyObject *
callback_arg(PyObject *callback, int strict, int *err)
{
    *err = 0;
    if (strict && !PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        *err = 1;
        return NULL;
    }
    return callback == Py_None ? NULL : callback;
}

/* Parse the single callback argument of a setter. */
static int
parse_callback(PyObject *args, PyObject *kwargs, const char *fmt,
               int strict, PyObject **callback)
{
    static char *kwlist[] = {"callback", NULL};
    PyObject *obj;
    int err;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &obj))
        return -1;
    *callback = callback_arg(obj, strict, &err);
    return err ? -1 : 0;
}

/* The single-argument callbacks a Context keeps: where each is stored and
 * how its trampoline is installed (or removed). */
typedef enum {
    CB_INFO,
    CB_KEYLOG,
    CB_SERVERNAME,
    CB_ALPN_SELECT,
    CB_COOKIE_GENERATE,
    CB_COOKIE_VERIFY,
} callback_kind;

static PyObject **
callback_slot(ContextObject *self, callback_kind kind)
{
    switch (kind) {
    case CB_INFO:
        return &self->info_cb;
    case CB_KEYLOG:
        return &self->keylog_cb;
    case CB_SERVERNAME:
        return &self->servername_cb;
    case CB_ALPN_SELECT:
        return &self->alpn_select_cb;
    case CB_COOKIE_GENERATE:
        return &self->cookie_generate_cb;
    case CB_COOKIE_VERIFY:
        return &self->cookie_verify_cb;
    }
    return NULL;
}

static void
install_callback(SSL_CTX *ctx, callback_kind kind, int on)
{
    switch (kind) {
    case CB_INFO:
        SSL_CTX_set_info_callback(ctx, on ? ssl_info_trampoline : NULL);
        break;
    case CB_KEYLOG:
        SSL_CTX_set_keylog_callback(ctx, on ? ssl_keylog_trampoline : NULL);
        break;
    case CB_SERVERNAME:
        SSL_CTX_set_tlsext_servername_callback(
            ctx, (on ? ssl_servername_trampoline : NULL));
        break;
    case CB_ALPN_SELECT:
        SSL_CTX_set_alpn_select_cb(ctx,
                                   on ? ssl_alpn_select_trampoline : NULL,
                                   NULL);
        break;
    case CB_COOKIE_GENERATE:
        SSL_CTX_set_cookie_generate_cb(
            ctx, on ? ssl_cookie_generate_trampoline : NULL);
        break;
    case CB_COOKIE_VERIFY:
        SSL_CTX_set_cookie_verify_cb(
            ctx, on ? ssl_cookie_verify_trampoline : NULL);
        break;
    }
}

/* A setter of one callback: `strict` ones must be callable, the others
 * take None to remove the callback. */
static PyObject *
set_callback(ContextObject *self, PyObject *args, PyObject *kwargs,
             const char *fmt, callback_kind kind, int strict)
{
    PyObject *old, *callback;

    CONTEXT_READY(self);
    if (parse_callback(args, kwargs, fmt, strict, &callback) < 0)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    old = swap_ref(callback_slot(self, kind), Py_XNewRef(callback));
    install_callback(self->ctx, kind, callback != NULL);
    CONTEXT_MUTATE_END(self);
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_info_callback_doc,
"set_info_callback($self, /, callback)\n--\n\n"
"Set the information callback, called as callback(conn, where, ret) from\n"
"time to time during handshakes (where: SSL_CB_* flags). Its return value\n"
"is ignored; an exception in it is reported through sys.unraisablehook\n"
"and the handshake goes on.");

static PyObject *
context_set_info_callback(ContextObject *self, PyObject *args,
                          PyObject *kwargs)
{
    return set_callback(self, args, kwargs, "O:set_info_callback", CB_INFO,
                        1);
}

PyDoc_STRVAR(context_set_keylog_callback_doc,
"set_keylog_callback($self, /, callback)\n--\n\n"
"Set the key logging callback, called as callback(conn, line) with each\n"
"line of TLS key material in NSS key log format (bytes). An exception\n"
"in it is reported through sys.unraisablehook.");

static PyObject *
context_set_keylog_callback(ContextObject *self, PyObject *args,
                            PyObject *kwargs)
{
    return set_callback(self, args, kwargs, "O:set_keylog_callback",
                        CB_KEYLOG, 0);
}

PyDoc_STRVAR(context_set_tlsext_servername_callback_doc,
"set_tlsext_servername_callback($self, /, callback)\n--\n\n"
"Set the callback called as callback(conn) when a client sends a server\n"
"name (SNI); it may call conn.get_servername() and conn.set_context().\n"
"An exception in it goes to sys.excepthook and the handshake fails with\n"
"a fatal alert.");

static PyObject *
context_set_tlsext_servername_callback(ContextObject *self, PyObject *args,
                                       PyObject *kwargs)
{
    return set_callback(self, args, kwargs,
                        "O:set_tlsext_servername_callback", CB_SERVERNAME, 0);
}

PyDoc_STRVAR(context_set_alpn_select_callback_doc,
"set_alpn_select_callback($self, /, callback)\n--\n\n"
"Set the server's ALPN selection callback, called as callback(conn,\n"
"offered) with the list of protocols the client offers. It returns the\n"
"chosen protocol (bytes), or NO_OVERLAPPING_PROTOCOLS to go on without\n"
"ALPN. An exception in it is re-raised from the I/O call.");

static PyObject *
context_set_alpn_select_callback(ContextObject *self, PyObject *args,
                                 PyObject *kwargs)
{
    return set_callback(self, args, kwargs, "O:set_alpn_select_callback",
                        CB_ALPN_SELECT, 0);
}

static PyObject *
set_ocsp_callback(ContextObject *self, PyObject *args, PyObject *kwargs,
                  int server)
{
    PyObject *old, *old_data;
    static char *kwlist[] = {"callback", "data", NULL};
    PyObject *obj, *data = Py_None, *callback;
    int err, ok;

    CONTEXT_READY(self);
    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs,
            server ? "O|O:set_ocsp_server_callback"
                   : "O|O:set_ocsp_client_callback",
            kwlist, &obj, &data))
        return NULL;
    callback = callback_arg(obj, 0, &err);
    if (err)
        return NULL;
    CONTEXT_MUTATE_BEGIN(self);
    old = swap_ref(&self->ocsp_cb, Py_XNewRef(callback));
    old_data = swap_ref(&self->ocsp_data, Py_NewRef(data));
    self->ocsp_server = server;
    ok = SSL_CTX_set_tlsext_status_cb(
        self->ctx, (callback ? ssl_ocsp_trampoline : NULL));
    CONTEXT_MUTATE_END(self);
    Py_XDECREF(old);
    Py_XDECREF(old_data);
    if (ok != 1)
        return SSL_RAISE(self->state);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_set_ocsp_server_callback_doc,
"set_ocsp_server_callback($self, /, callback, data=None)\n--\n\n"
"Set the server's OCSP stapling callback, called as callback(conn,\n"
"data); it returns the OCSP response to staple (bytes), or b'' for\n"
"none. Replaces an OCSP client callback.");

static PyObject *
context_set_ocsp_server_callback(ContextObject *self, PyObject *args,
                                 PyObject *kwargs)
{
    return set_ocsp_callback(self, args, kwargs, 1);
}

PyDoc_STRVAR(context_set_ocsp_client_callback_doc,
"set_ocsp_client_callback($self, /, callback, data=None)\n--\n\n"
"Set the client's OCSP callback, called as callback(conn, ocsp_bytes,\n"
"data) with the stapled response (b'' if none); it returns a true value\n"
"to accept. Replaces an OCSP server callback. The client must also call\n"
"Connection.request_ocsp().");

static PyObject *
context_set_ocsp_client_callback(ContextObject *self, PyObject *args,
                                 PyObject *kwargs)
{
    return set_ocsp_callback(self, args, kwargs, 0);
}

PyDoc_STRVAR(context_set_cookie_generate_callback_doc,
"set_cookie_generate_callback($self, /, callback)\n--\n\n"
"DTLS: set the callback called as callback(conn) to make a cookie\n"
"(bytes, at most 255 bytes) for a HelloVerifyRequest.");

static PyObject *
context_set_cookie_generate_callback(ContextObject *self, PyObject *args,
                                     PyObject *kwargs)
{
    return set_callback(self, args, kwargs, "O:set_cookie_generate_callback",
                        CB_COOKIE_GENERATE, 0);
}

PyDoc_STRVAR(context_set_cookie_verify_callback_doc,
"set_cookie_verify_callback($self, /, callback)\n--\n\n"
"DTLS: set the callback called as callback(conn, cookie) to check a\n"
"cookie; it returns a true value to accept it.");

static PyObject *
context_set_cookie_verify_callback(ContextObject *self, PyObject *args,
                                   PyObject *kwargs)
{
    return set_callback(self, args, kwargs, "O:set_cookie_verify_callback",
                        CB_COOKIE_VERIFY, 0);
}

/* ------------------------------------------------------------------------
 * Application data and private attributes
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(context_set_app_data_doc,
"set_app_data($self, /, data)\n--\n\n"
"Store any object, returned by get_app_data().");

static PyObject *
context_set_app_data(ContextObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"data", NULL};
    PyObject *data;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_app_data", kwlist,
                                     &data))
        return NULL;
    Py_XSETREF(self->app_data, Py_NewRef(data));
    Py_RETURN_NONE;
}

PyDoc_STRVAR(context_get_app_data_doc,
"get_app_data($self, /)\n--\n\n"
"Get the object stored by set_app_data(), or None.");

static PyObject *
context_get_app_data(ContextObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(self->app_data ? self->app_data : Py_None);
}

static PyObject *
context_get_context(ContextObject *self, void *Py_UNUSED(closure))
{
    CONTEXT_READY(self);
    if (self->capsule == NULL) {
        self->capsule = PyCapsule_New(self->ctx, "OpenSSL.SSL.Context._context",
                                      NULL);
        if (self->capsule == NULL)
            return NULL;
    }
    return Py_NewRef(self->capsule);
}

static PyGetSetDef context_getset[] = {
    {"_context", (getter)context_get_context, NULL,
     "The SSL_CTX* as a PyCapsule (not a cffi pointer); the same object on "
     "every access.", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))context_##name, \
     METH_VARARGS | METH_KEYWORDS, context_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)context_##name, METH_NOARGS, context_##name##_doc}

static PyMethodDef context_methods[] = {
    METH_KW(set_min_proto_version),
    METH_KW(set_max_proto_version),
    METH_KW(set_options),
    METH_KW(set_mode),
    METH_KW(clear_mode),
    METH_KW(set_timeout),
    METH_NO(get_timeout),
    METH_KW(set_session_cache_mode),
    METH_NO(get_session_cache_mode),
    METH_KW(set_session_id),
    METH_KW(set_verify),
    METH_KW(set_verify_depth),
    METH_NO(get_verify_mode),
    METH_NO(get_verify_depth),
    METH_KW(load_verify_locations),
    METH_NO(set_default_verify_paths),
    METH_NO(get_cert_store),
    METH_KW(use_certificate_file),
    METH_KW(use_certificate_chain_file),
    METH_KW(use_privatekey_file),
    METH_KW(use_certificate),
    METH_KW(add_extra_chain_cert),
    METH_KW(use_privatekey),
    METH_NO(check_privatekey),
    METH_KW(set_passwd_cb),
    METH_KW(load_client_ca),
    METH_KW(set_client_ca_list),
    METH_KW(add_client_ca),
    METH_KW(load_tmp_dh),
    METH_KW(set_tmp_ecdh),
    METH_KW(set_cipher_list),
    METH_KW(set_tls13_ciphersuites),
    METH_KW(set_tlsext_use_srtp),
    METH_KW(set_alpn_protos),
    METH_KW(set_info_callback),
    METH_KW(set_keylog_callback),
    METH_KW(set_tlsext_servername_callback),
    METH_KW(set_alpn_select_callback),
    METH_KW(set_ocsp_server_callback),
    METH_KW(set_ocsp_client_callback),
    METH_KW(set_cookie_generate_callback),
    METH_KW(set_cookie_verify_callback),
    METH_KW(set_app_data),
    METH_NO(get_app_data),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef context_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(ContextObject, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(context_doc,
"Context(method)\n--\n\n"
"The parameters for setting up new TLS connections: certificates, keys,\n"
"verification, ciphers, callbacks. One Context serves many Connections\n"
"and may be changed at any time, from any thread.\n\n"
":param method: TLS_METHOD, TLS_CLIENT_METHOD, TLS_SERVER_METHOD,\n"
"    DTLS_METHOD, DTLS_CLIENT_METHOD, DTLS_SERVER_METHOD, or the older\n"
"    SSLv23_METHOD and TLSv1*_METHOD (which pin that one version).\n"
":raises ValueError: for an unknown method ('No such protocol').");

static PyType_Slot context_slots[] = {
    {Py_tp_doc, (void *)context_doc},
    {Py_tp_new, context_new},
    {Py_tp_init, context_init},
    {Py_tp_dealloc, context_dealloc},
    {Py_tp_traverse, context_traverse},
    {Py_tp_clear, context_clear},
    {Py_tp_methods, context_methods},
    {Py_tp_members, context_members},
    {Py_tp_getset, context_getset},
    {0, NULL}
};

static PyType_Spec context_spec = {
    .name = "OpenSSL.SSL.Context",
    .basicsize = sizeof(ContextObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = context_slots,
};

int
ssl_context_register(PyObject *module, ssl_state *st)
{
    st->Context_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &context_spec, NULL);
    if (st->Context_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "Context",
                                 (PyObject *)st->Context_Type);
}
