/*
 * callbacks.c -- every OpenSSL -> Python trampoline of OpenSSL.SSL.
 *
 * OpenSSL calls these from inside SSL_do_handshake() and friends, usually
 * with the GIL released; each takes the GIL with PyGILState_Ensure(),
 * finds the Connection through the SSL's app data and the Context through
 * the callback argument (or the SSL's current SSL_CTX), takes its own
 * reference to the Python callable (a concurrent setter may replace it),
 * and calls it.
 *
 * What happens to an exception raised by a callback (API.md 2.3, 2.4, 3.2
 * rows 18-20):
 *   verify, ALPN, OCSP:  recorded on the Connection; the callback answers
 *       failure; the I/O method that ran the handshake drains the OpenSSL
 *       error queue and raises it (ssl_raise_pending). Recording on the
 *       Connection rather than the Context means a callback error is only
 *       ever raised from the connection it belongs to, even when many
 *       connections share one Context.
 *   DTLS cookies:  the same, in a list of their own that only
 *       DTLSv1_listen() raises, as in pyOpenSSL (a handshake that runs
 *       them fails with Error).
 *   servername: sys.excepthook, then a fatal alert (CVE-2026-27448).
 *   info, keylog: sys.unraisablehook; the handshake goes on.
 */
#include "ssl.h"

/* ------------------------------------------------------------------------
 * Recording and re-raising callback exceptions
 * --------------------------------------------------------------------- */

static void
capture_into(PyObject **slot)
{
    PyObject *type, *value, *tb;

    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL)
        PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    if (value == NULL)
        return;
    if (*slot == NULL) {
        *slot = PyList_New(0);
        if (*slot == NULL) {
            Py_DECREF(value);
            PyErr_WriteUnraisable(NULL);
            return;
        }
    }
    if (PyList_Append(*slot, value) < 0)
        PyErr_WriteUnraisable(NULL);
    Py_DECREF(value);
}

void
ssl_capture_exception(ConnectionObject *conn)
{
    if (conn == NULL)
        PyErr_WriteUnraisable(NULL);
    else
        capture_into(&conn->pending);
}

void
ssl_capture_cookie_exception(ConnectionObject *conn)
{
    if (conn == NULL)
        PyErr_WriteUnraisable(NULL);
    else
        capture_into(&conn->cookie_pending);
}

static int
raise_from(PyObject *pending)
{
    PyObject *exc, *tb;

    if (pending == NULL || PyList_GET_SIZE(pending) == 0)
        return 0;
    /* The OpenSSL errors this callback failure caused are not news. */
    pyossl_clear_errors();
    exc = Py_NewRef(PyList_GET_ITEM(pending, 0));
    if (PySequence_DelItem(pending, 0) < 0) {
        Py_DECREF(exc);
        return -1;
    }
    tb = PyException_GetTraceback(exc);
    PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, tb);
    return -1;
}

int
ssl_raise_pending(ConnectionObject *conn)
{
    return raise_from(conn->pending);
}

int
ssl_raise_cookie_pending(ConnectionObject *conn)
{
    return raise_from(conn->cookie_pending);
}

/* ------------------------------------------------------------------------
 * Certificate verification
 * --------------------------------------------------------------------- */

int
ssl_verify_trampoline(int preverify_ok, X509_STORE_CTX *store_ctx)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(
        store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx());
    ConnectionObject *conn = ssl_connection_of_ssl(ssl);
    PyGILState_STATE gil;
    PyObject *callback, *cert, *result;
    X509 *x509;
    int ok = 0;

    if (conn == NULL)
        return preverify_ok;
    gil = PyGILState_Ensure();
    callback = Py_XNewRef(conn->verify_cb);
    if (callback == NULL) {
        PyGILState_Release(gil);
        return preverify_ok;
    }
    x509 = X509_STORE_CTX_get_current_cert(store_ctx);
    if (x509 != NULL)
        cert = conn->state->crypto->x509_from_ptr(conn->state->crypto, x509);
    else
        cert = Py_NewRef(Py_None);
    if (cert == NULL) {
        ssl_capture_exception(conn);
        goto done;
    }
    result = PyObject_CallFunction(
        callback, "OOiii", (PyObject *)conn, cert,
        X509_STORE_CTX_get_error(store_ctx),
        X509_STORE_CTX_get_error_depth(store_ctx), preverify_ok);
    Py_DECREF(cert);
    if (result == NULL) {
        ssl_capture_exception(conn);
        goto done;
    }
    ok = PyObject_IsTrue(result);
    Py_DECREF(result);
    if (ok < 0) {
        ssl_capture_exception(conn);
        ok = 0;
    } else if (ok) {
        X509_STORE_CTX_set_error(store_ctx, X509_V_OK);
    }
done:
    Py_DECREF(callback);
    PyGILState_Release(gil);
    return ok;
}

/* ------------------------------------------------------------------------
 * Info and key log: exceptions go to sys.unraisablehook
 * --------------------------------------------------------------------- */

void
ssl_info_trampoline(const SSL *ssl, int where, int ret)
{
    ConnectionObject *conn = ssl_connection_of_ssl(ssl);
    ContextObject *ctx;
    PyGILState_STATE gil;
    PyObject *callback, *result;

    if (conn == NULL)
        return;
    gil = PyGILState_Ensure();
    /* A Connection-level callback (SSL_set_info_callback) wins over the
     * Context's, as in OpenSSL. */
    callback = conn->info_cb;
    if (callback == NULL) {
        ctx = ssl_context_of_ctx(SSL_get_SSL_CTX(ssl));
        callback = ctx ? ctx->info_cb : NULL;
    }
    if (callback != NULL) {
        Py_INCREF(callback);
        result = PyObject_CallFunction(callback, "Oii", (PyObject *)conn,
                                       where, ret);
        if (result == NULL)
            PyErr_WriteUnraisable(callback);
        Py_XDECREF(result);
        Py_DECREF(callback);
    }
    PyGILState_Release(gil);
}

void
ssl_keylog_trampoline(const SSL *ssl, const char *line)
{
    ConnectionObject *conn = ssl_connection_of_ssl(ssl);
    ContextObject *ctx = ssl_context_of_ctx(SSL_get_SSL_CTX(ssl));
    PyGILState_STATE gil;
    PyObject *callback, *result;

    if (conn == NULL || ctx == NULL)
        return;
    gil = PyGILState_Ensure();
    callback = Py_XNewRef(ctx->keylog_cb);
    if (callback != NULL) {
        result = PyObject_CallFunction(callback, "Oy", (PyObject *)conn,
                                       line);
        if (result == NULL)
            PyErr_WriteUnraisable(callback);
        Py_XDECREF(result);
        Py_DECREF(callback);
    }
    PyGILState_Release(gil);
}

/* ------------------------------------------------------------------------
 * Server name (SNI)
 * --------------------------------------------------------------------- */

/* Hand the current exception to sys.excepthook, as pyOpenSSL 26 does. */
static void
call_excepthook(void)
{
    PyObject *type, *value, *tb, *hook, *result = NULL;

    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    /* Our own reference: the hook may replace sys.excepthook, which
     * holds the only other one. */
    hook = Py_XNewRef(PySys_GetObject("excepthook"));
    if (hook != NULL) {
        result = PyObject_CallFunctionObjArgs(
            hook, type ? type : Py_None, value ? value : Py_None,
            tb ? tb : Py_None, NULL);
        if (result == NULL)
            PyErr_WriteUnraisable(hook);
        Py_XDECREF(result);
        Py_DECREF(hook);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
    } else {
        PyErr_Restore(type, value, tb);
        PyErr_WriteUnraisable(NULL);
    }
}

int
ssl_servername_trampoline(SSL *ssl, int *alert, void *arg)
{
    ConnectionObject *conn = ssl_connection_of_ssl(ssl);
    ContextObject *ctx = arg;
    PyGILState_STATE gil;
    PyObject *callback, *result;
    int ret = SSL_TLSEXT_ERR_OK;

    (void)alert;
    if (conn == NULL || ctx == NULL)
        return SSL_TLSEXT_ERR_OK;
    gil = PyGILState_Ensure();
    callback = Py_XNewRef(ctx->servername_cb);
    if (callback != NULL) {
        result = PyObject_CallOneArg(callback, (PyObject *)conn);
        if (result == NULL) {
            call_excepthook();
            ret = SSL_TLSEXT_ERR_ALERT_FATAL;
        }
        Py_XDECREF(result);
        Py_DECREF(callback);
    }
    PyGILState_Release(gil);
    return ret;
}

/* ------------------------------------------------------------------------
 * ALPN
 * --------------------------------------------------------------------- */

/* The protocols of an ALPN wire-format list, as a Python list of bytes. */
static PyObject *
alpn_list(const unsigned char *in, unsigned int inlen)
{
    PyObject *list = PyList_New(0);
    unsigned int i = 0;

    if (list == NULL)
        return NULL;
    while (i < inlen) {
        unsigned int len = in[i];
        PyObject *proto;
        if (len > inlen - i - 1)
            break;      /* OpenSSL validated it; never read past the end */
        proto = PyBytes_FromStringAndSize((const char *)in + i + 1, len);
        if (proto == NULL || PyList_Append(list, proto) < 0) {
            Py_XDECREF(proto);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(proto);
        i += 1 + len;
    }
    return list;
}

int
ssl_alpn_select_trampoline(SSL *ssl, const unsigned char **out,
                           unsigned char *outlen, const unsigned char *in,
                           unsigned int inlen, void *arg)
{
    ConnectionObject *conn = ssl_connection_of_ssl(ssl);
    ContextObject *ctx = ssl_context_of_ctx(SSL_get_SSL_CTX(ssl));
    PyGILState_STATE gil;
    PyObject *callback, *offered, *result = NULL;
    int ret = SSL_TLSEXT_ERR_ALERT_FATAL;

    (void)arg;
    if (conn == NULL || ctx == NULL)
        return SSL_TLSEXT_ERR_NOACK;
    gil = PyGILState_Ensure();
    callback = Py_XNewRef(ctx->alpn_select_cb);
    if (callback == NULL) {
        ret = SSL_TLSEXT_ERR_NOACK;
        goto done;
    }
    offered = alpn_list(in, inlen);
    if (offered == NULL)
        goto fail;
    result = PyObject_CallFunctionObjArgs(callback, (PyObject *)conn,
                                          offered, NULL);
    Py_DECREF(offered);
    if (result == NULL)
        goto fail;
    if (result == conn->state->NO_OVERLAPPING_PROTOCOLS) {
        ret = SSL_TLSEXT_ERR_NOACK;
        goto done;
    }
    if (!PyBytes_Check(result)) {
        PyErr_SetString(PyExc_TypeError,
                        "ALPN callback must return a bytestring or the "
                        "special NO_OVERLAPPING_PROTOCOLS sentinel value.");
        goto fail;
    }
    if (PyBytes_GET_SIZE(result) > 255) {
        /* What pyOpenSSL raises (from cffi) for this. */
        PyErr_Format(PyExc_OverflowError,
                     "integer %zd does not fit 'unsigned char'",
                     PyBytes_GET_SIZE(result));
        goto fail;
    }
    /* OpenSSL copies the selection after we return: keep it alive on the
     * connection until then. */
    Py_XSETREF(conn->alpn_selected, Py_NewRef(result));
    *out = (const unsigned char *)PyBytes_AS_STRING(result);
    *outlen = (unsigned char)PyBytes_GET_SIZE(result);
    ret = SSL_TLSEXT_ERR_OK;
    goto done;

fail:
    ssl_capture_exception(conn);
    ret = SSL_TLSEXT_ERR_ALERT_FATAL;
done:
    Py_XDECREF(result);
    Py_XDECREF(callback);
    PyGILState_Release(gil);
    return ret;
}

/* ------------------------------------------------------------------------
 * OCSP stapling
 * --------------------------------------------------------------------- */

/* Server side: ask for a response to staple. */
static int
ocsp_server(ConnectionObject *conn, SSL *ssl, PyObject *callback,
            PyObject *data)
{
    PyObject *result = PyObject_CallFunctionObjArgs(
        callback, (PyObject *)conn, data ? data : Py_None, NULL);
    unsigned char *copy;
    Py_ssize_t len;

    if (result == NULL)
        goto fail;
    if (!PyBytes_Check(result)) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_TypeError,
                        "OCSP callback must return a bytestring.");
        goto fail;
    }
    len = PyBytes_GET_SIZE(result);
    if (len == 0) {
        Py_DECREF(result);
        return SSL_TLSEXT_ERR_NOACK;
    }
    if (len > LONG_MAX) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_ValueError, "OCSP response is too long");
        goto fail;
    }
    /* OpenSSL takes ownership of an OPENSSL_malloc'ed copy. */
    copy = OPENSSL_malloc((size_t)len);
    if (copy == NULL) {
        Py_DECREF(result);
        PyErr_NoMemory();
        goto fail;
    }
    memcpy(copy, PyBytes_AS_STRING(result), (size_t)len);
    Py_DECREF(result);
    if (!SSL_set_tlsext_status_ocsp_resp(ssl, copy, (long)len)) {
        OPENSSL_free(copy);
        pyossl_raise_error_queue(conn->state->Error);
        goto fail;
    }
    return SSL_TLSEXT_ERR_OK;

fail:
    ssl_capture_exception(conn);
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

/* Client side: judge the stapled response (b'' if none). */
static int
ocsp_client(ConnectionObject *conn, SSL *ssl, PyObject *callback,
            PyObject *data)
{
    const unsigned char *resp = NULL;
    long len = SSL_get_tlsext_status_ocsp_resp(ssl, &resp);
    PyObject *bytes, *result;
    int ok;

    if (len < 0 || resp == NULL)
        len = 0;
    bytes = PyBytes_FromStringAndSize((const char *)resp, len);
    if (bytes == NULL)
        goto fail;
    result = PyObject_CallFunctionObjArgs(callback, (PyObject *)conn, bytes,
                                          data ? data : Py_None, NULL);
    Py_DECREF(bytes);
    if (result == NULL)
        goto fail;
    ok = PyObject_IsTrue(result);
    Py_DECREF(result);
    if (ok < 0)
        goto fail;
    return ok;

fail:
    ssl_capture_exception(conn);
    return -1;
}

int
ssl_ocsp_trampoline(SSL *ssl, void *arg)
{
    ConnectionObject *conn = ssl_connection_of_ssl(ssl);
    ContextObject *ctx = ssl_context_of_ctx(SSL_get_SSL_CTX(ssl));
    PyGILState_STATE gil;
    PyObject *callback, *data;
    int ret, server;

    (void)arg;
    if (conn == NULL || ctx == NULL)
        return SSL_is_server(ssl) ? SSL_TLSEXT_ERR_NOACK : 1;
    gil = PyGILState_Ensure();
    callback = Py_XNewRef(ctx->ocsp_cb);
    data = Py_XNewRef(ctx->ocsp_data);
    server = ctx->ocsp_server;
    if (callback == NULL)
        ret = SSL_is_server(ssl) ? SSL_TLSEXT_ERR_NOACK : 1;
    else if (server)
        ret = ocsp_server(conn, ssl, callback, data);
    else
        ret = ocsp_client(conn, ssl, callback, data);
    Py_XDECREF(callback);
    Py_XDECREF(data);
    PyGILState_Release(gil);
    return ret;
}

/* ------------------------------------------------------------------------
 * DTLS cookies
 * --------------------------------------------------------------------- */

/* The cookie callback for `conn`: the one it was created with, else the
 * one its Context has now. New reference or NULL. */
static PyObject *
cookie_callback(ConnectionObject *conn, SSL *ssl, int generate)
{
    ContextObject *ctx;
    PyObject *cb = generate ? conn->cookie_generate_cb
                            : conn->cookie_verify_cb;
    if (cb == NULL) {
        ctx = ssl_context_of_ctx(SSL_get_SSL_CTX(ssl));
        if (ctx != NULL)
            cb = generate ? ctx->cookie_generate_cb : ctx->cookie_verify_cb;
    }
    return Py_XNewRef(cb);
}

int
ssl_cookie_generate_trampoline(SSL *ssl, unsigned char *cookie,
                               unsigned int *cookie_len)
{
    ConnectionObject *conn = ssl_connection_of_ssl(ssl);
    PyGILState_STATE gil;
    PyObject *callback, *result = NULL;
    int ret = 0;

    if (conn == NULL)
        return 0;
    gil = PyGILState_Ensure();
    callback = cookie_callback(conn, ssl, 1);
    if (callback == NULL)
        goto done;
    result = PyObject_CallOneArg(callback, (PyObject *)conn);
    if (result == NULL)
        goto fail;
    if (!PyBytes_Check(result)) {
        PyErr_Format(PyExc_TypeError, "cookie must be bytes, not %.100s",
                     Py_TYPE(result)->tp_name);
        goto fail;
    }
    /* Never more than OpenSSL's buffer holds (CVE-2026-27459). */
    if (PyBytes_GET_SIZE(result) > DTLS1_COOKIE_LENGTH) {
        PyErr_Format(PyExc_ValueError,
                     "Cookie too long (got %zd bytes, max %d)",
                     PyBytes_GET_SIZE(result), DTLS1_COOKIE_LENGTH);
        goto fail;
    }
    memcpy(cookie, PyBytes_AS_STRING(result),
           (size_t)PyBytes_GET_SIZE(result));
    *cookie_len = (unsigned int)PyBytes_GET_SIZE(result);
    ret = 1;
    goto done;

fail:
    ssl_capture_cookie_exception(conn);
    ret = 0;
done:
    Py_XDECREF(result);
    Py_XDECREF(callback);
    PyGILState_Release(gil);
    return ret;
}

int
ssl_cookie_verify_trampoline(SSL *ssl, const unsigned char *cookie,
                             unsigned int cookie_len)
{
    ConnectionObject *conn = ssl_connection_of_ssl(ssl);
    PyGILState_STATE gil;
    PyObject *callback, *result;
    int ret = 0;

    if (conn == NULL)
        return 0;
    gil = PyGILState_Ensure();
    callback = cookie_callback(conn, ssl, 0);
    if (callback == NULL)
        goto done;
    result = PyObject_CallFunction(callback, "Oy#", (PyObject *)conn,
                                   (const char *)cookie,
                                   (Py_ssize_t)cookie_len);
    if (result == NULL) {
        ssl_capture_cookie_exception(conn);
    } else {
        ret = PyObject_IsTrue(result);
        Py_DECREF(result);
        if (ret < 0) {
            ssl_capture_cookie_exception(conn);
            ret = 0;
        }
    }
done:
    Py_XDECREF(callback);
    PyGILState_Release(gil);
    return ret;
}
