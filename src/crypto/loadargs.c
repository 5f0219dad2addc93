/*
 * loadargs.c -- the scaffolding shared by the module's load_* and dump_*
 * functions (load_dump.c, x509req.c, crl.c, pkcs7.c, pkcs12.c): the file
 * type, the input buffer, and the memory BIOs a load reads from and a dump
 * writes to.
 *
 * What differs between the types is only the OpenSSL call that reads or
 * writes one object. Each file gives that as a small function of the
 * crypto_reader or crypto_writer type (crypto.h), which calls the typed
 * PEM/DER functions itself: the OpenSSL functions have other signatures,
 * and calling them through a cast function pointer would be undefined.
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
crypto_filetype_check(long type, int text)
{
    if (type == CRYPTO_FILETYPE_PEM || type == CRYPTO_FILETYPE_ASN1 ||
        (text && type == CRYPTO_FILETYPE_TEXT))
        return 0;
    PyErr_SetString(PyExc_ValueError,
                    text ? "type argument must be FILETYPE_PEM, "
                           "FILETYPE_ASN1, or FILETYPE_TEXT"
                         : "type argument must be FILETYPE_PEM or "
                           "FILETYPE_ASN1");
    return -1;
}

int
crypto_load_buffer(PyObject *obj, const char *label, pyossl_bytes *out)
{
    if (PyUnicode_Check(obj)) {
        memset(out, 0, sizeof(*out));
        out->owner = PyUnicode_AsASCIIString(obj);
        if (out->owner == NULL)
            return -1;
        out->data = PyBytes_AS_STRING(out->owner);
        out->len = PyBytes_GET_SIZE(out->owner);
    }
    else if (pyossl_bytes_or_text_warn(obj, label, 1, out) < 0)
        return -1;
    if (out->len > INT_MAX) {
        pyossl_bytes_release(out);
        PyErr_Format(PyExc_ValueError, "%s is too long", label);
        return -1;
    }
    return 0;
}

void *
crypto_load_object(crypto_state *st, PyObject *buffer_obj, long type,
                   crypto_reader *read, void *arg)
{
    pyossl_bytes buf;
    void *obj;
    BIO *bio;

    if (crypto_load_buffer(buffer_obj, "buffer", &buf) < 0)
        return NULL;
    /* Read-only, over the buffer itself (no copy). */
    bio = BIO_new_mem_buf(buf.data, (int)buf.len);
    if (bio == NULL) {
        pyossl_bytes_release(&buf);
        return CRYPTO_RAISE(st);
    }
    obj = read(bio, type, arg);
    BIO_free(bio);
    pyossl_bytes_release(&buf);
    /* A reader that raised (a passphrase callback's exception) has said
     * why already; otherwise the queue says it. */
    if (obj == NULL && !PyErr_Occurred())
        CRYPTO_RAISE(st);
    return obj;
}

void *
crypto_load(crypto_state *st, PyObject *args, PyObject *kwargs,
            const char *format, crypto_reader *read)
{
    static char *kwlist[] = {"type", "buffer", NULL};
    PyObject *type_obj, *buffer_obj;
    long type;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, format, kwlist,
                                     &type_obj, &buffer_obj))
        return NULL;
    /* The type is checked before anything is allocated (0.13 leaked its
     * BIO here). */
    type = crypto_filetype_of(type_obj);
    if (crypto_filetype_check(type, 0) < 0)
        return NULL;
    return crypto_load_object(st, buffer_obj, type, read, NULL);
}

PyObject *
crypto_dump_object(crypto_state *st, long type, crypto_writer *write,
                   void *obj)
{
    PyObject *result;
    BIO *bio;
    int ok;

    bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return CRYPTO_RAISE(st);
    ok = write(bio, type, obj);
    if (ok > 0) {
        /* The text printers succeed even when they had to fall back for a
         * field they could not decode, leaving its errors queued. */
        pyossl_clear_errors();
        result = pyossl_bio_to_bytes(bio);
    }
    else if (ok == 0)
        result = CRYPTO_RAISE(st);
    else
        result = NULL;      /* the writer raised */
    BIO_free(bio);
    return result;
}
