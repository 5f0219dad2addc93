/*
 * loadargs.c -- argument helpers shared by the load_* functions
 * (load_dump.c, pkcs7.c, pkcs12.c): the file type and the input buffer.
 */
#include "crypto.h"

long
crypto_filetype_of(PyObject *obj)
{
    long type;
    if (!PyLong_Check(obj))
        return -1;
    type = PyLong_AsLong(obj);
    if (type == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return -1;
    }
    if (type == CRYPTO_FILETYPE_TEXT_013)
        type = CRYPTO_FILETYPE_TEXT;
    return type;
}

int
crypto_load_buffer(PyObject *obj, pyossl_bytes *out)
{
    if (PyUnicode_Check(obj)) {
        memset(out, 0, sizeof(*out));
        out->owner = PyUnicode_AsASCIIString(obj);
        if (out->owner == NULL)
            return -1;
        out->data = PyBytes_AS_STRING(out->owner);
        out->len = PyBytes_GET_SIZE(out->owner);
    }
    else if (pyossl_bytes_or_text_warn(obj, "buffer", 1, out) < 0)
        return -1;
    if (out->len > INT_MAX) {
        pyossl_bytes_release(out);
        PyErr_SetString(PyExc_ValueError, "buffer is too long");
        return -1;
    }
    return 0;
}

BIO *
crypto_buffer_bio(crypto_state *st, const pyossl_bytes *buf)
{
    BIO *bio = BIO_new_mem_buf(buf->data, (int)buf->len);
    if (bio == NULL)
        CRYPTO_RAISE(st);
    return bio;
}
