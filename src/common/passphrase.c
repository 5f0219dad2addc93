/*
 * passphrase.c -- the pem_password_cb behind every passphrase pyOpenSSL
 * takes: crypto.load_privatekey / dump_privatekey (bytes or a callable
 * taking rwflag) and SSL.Context.set_passwd_cb (a callable taking maxlen,
 * rwflag, userdata).
 *
 * OpenSSL may call the callback without the GIL (we release it around key
 * decryption), so the callback takes the GIL itself. A problem inside it
 * (an exception, a result that is not bytes, a passphrase that is too long)
 * is recorded in the helper and the callback answers -1, which makes OpenSSL
 * fail the load; pyossl_passphrase_raise_if_problem() then drains the
 * OpenSSL error queue and raises the recorded exception instead. The
 * passphrase is copied with its explicit length, NUL bytes included.
 */
#include "pyossl.h"
#include "passphrase.h"

void
pyossl_passphrase_init(pyossl_passphrase *h, PyObject *passphrase,
                       PyObject *userdata, int more_args, int truncate,
                       PyObject *bytes_expected)
{
    h->passphrase = passphrase;
    h->userdata = userdata;
    h->more_args = more_args;
    h->truncate = truncate;
    h->bytes_expected = bytes_expected;
    h->exc_type = h->exc_value = h->exc_tb = NULL;
}

static void
record_problem(pyossl_passphrase *h)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (h->exc_type == NULL) {
        h->exc_type = type;
        h->exc_value = value;
        h->exc_tb = tb;
    } else {
        /* Keep the first problem: it is the one that failed the load. */
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
    }
}

int
pyossl_passphrase_cb(char *buf, int size, int rwflag, void *u)
{
    pyossl_passphrase *h = u;
    PyGILState_STATE gil;
    PyObject *passphrase, *result;
    int len = 0;

    if (h == NULL || h->passphrase == NULL)
        return -1;  /* no passphrase: fail the read, never prompt on a
                       terminal (OpenSSL's default callback would) */
    gil = PyGILState_Ensure();
    /* Our own reference: the callback may replace itself
     * (Context.set_passwd_cb), dropping the owner's. */
    passphrase = Py_NewRef(h->passphrase);
    if (PyCallable_Check(passphrase)) {
        if (h->more_args)
            result = PyObject_CallFunction(passphrase, "iiO", size,
                                           rwflag, h->userdata ? h->userdata
                                                               : Py_None);
        else
            result = PyObject_CallFunction(passphrase, "i", rwflag);
        Py_DECREF(passphrase);
    } else {
        result = passphrase;
    }
    if (result == NULL)
        goto fail;
    if (!PyBytes_Check(result)) {
        Py_DECREF(result);
        PyErr_SetString(h->bytes_expected, "Bytes expected");
        goto fail;
    }
    if (PyBytes_GET_SIZE(result) > size) {
        if (!h->truncate) {
            Py_DECREF(result);
            PyErr_SetString(PyExc_ValueError,
                            "passphrase returned by callback is too long");
            goto fail;
        }
        len = size;
    } else {
        len = (int)PyBytes_GET_SIZE(result);
    }
    memcpy(buf, PyBytes_AS_STRING(result), (size_t)len);
    Py_DECREF(result);
    PyGILState_Release(gil);
    return len;

fail:
    /* -1 makes OpenSSL give up at once instead of trying an empty
     * passphrase (and perhaps asking again). */
    record_problem(h);
    PyGILState_Release(gil);
    return -1;
}

int
pyossl_passphrase_has_problem(const pyossl_passphrase *h)
{
    return h->exc_type != NULL;
}

int
pyossl_passphrase_raise_if_problem(pyossl_passphrase *h)
{
    if (h->exc_type == NULL)
        return 0;
    pyossl_clear_errors();
    PyErr_Restore(h->exc_type, h->exc_value, h->exc_tb);
    h->exc_type = h->exc_value = h->exc_tb = NULL;
    return -1;
}

void
pyossl_passphrase_clear(pyossl_passphrase *h)
{
    Py_CLEAR(h->exc_type);
    Py_CLEAR(h->exc_value);
    Py_CLEAR(h->exc_tb);
}
