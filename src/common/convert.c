/*
 * convert.c -- Python arguments in, OpenSSL values out.
 *
 * Converters follow the "O&" protocol of PyArg_Parse*: return 1 on success,
 * 0 with an exception set on failure, and Py_CLEANUP_SUPPORTED where they
 * own a reference that must be dropped if a later argument fails.
 */
#include "pyossl.h"

/* ------------------------------------------------------------------------
 * Bytes views
 * --------------------------------------------------------------------- */

void
pyossl_bytes_release(pyossl_bytes *b)
{
    if (b->view.obj != NULL)
        PyBuffer_Release(&b->view);
    Py_CLEAR(b->owner);
    b->data = NULL;
    b->len = 0;
}

static void
bytes_init(pyossl_bytes *out)
{
    out->data = NULL;
    out->len = 0;
    out->owner = NULL;
    out->view.obj = NULL;
}

int
pyossl_bytes_strict(PyObject *obj, const char *what, pyossl_bytes *out)
{
    bytes_init(out);
    if (!PyBytes_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a byte string", what);
        return -1;
    }
    out->owner = Py_NewRef(obj);
    out->data = PyBytes_AS_STRING(obj);
    out->len = PyBytes_GET_SIZE(obj);
    return 0;
}

int
pyossl_bytes_or_text_warn(PyObject *obj, const char *label, int allow_buffer,
                          pyossl_bytes *out)
{
    bytes_init(out);
    if (PyUnicode_Check(obj)) {
        PyObject *encoded;
        if (PyErr_WarnFormat(PyExc_DeprecationWarning, 1,
                             "str for %s is no longer accepted, use bytes",
                             label) < 0)
            return -1;
        encoded = PyUnicode_AsUTF8String(obj);
        if (encoded == NULL)
            return -1;
        out->owner = encoded;
        out->data = PyBytes_AS_STRING(encoded);
        out->len = PyBytes_GET_SIZE(encoded);
        return 0;
    }
    if (PyBytes_Check(obj)) {
        out->owner = Py_NewRef(obj);
        out->data = PyBytes_AS_STRING(obj);
        out->len = PyBytes_GET_SIZE(obj);
        return 0;
    }
    if (allow_buffer && PyObject_CheckBuffer(obj)) {
        if (PyObject_GetBuffer(obj, &out->view, PyBUF_SIMPLE) < 0)
            return -1;
        out->data = out->view.buf;
        out->len = out->view.len;
        return 0;
    }
    PyErr_Format(PyExc_TypeError,
                 "%s must be bytes%s, not %.100s", label,
                 allow_buffer ? " or a bytes-like object" : "",
                 Py_TYPE(obj)->tp_name);
    return -1;
}

/* ------------------------------------------------------------------------
 * Paths
 * --------------------------------------------------------------------- */

PyObject *
pyossl_path_bytes(PyObject *obj)
{
    PyObject *result = NULL;
    if (!PyUnicode_FSConverter(obj, &result))
        return NULL;
    return result;
}

int
pyossl_path_converter(PyObject *obj, void *p)
{
    PyObject **out = p;
    if (obj == NULL) {          /* cleanup call */
        Py_CLEAR(*out);
        return 1;
    }
    *out = pyossl_path_bytes(obj);
    if (*out == NULL)
        return 0;
    return Py_CLEANUP_SUPPORTED;
}

int
pyossl_path_or_none_converter(PyObject *obj, void *p)
{
    PyObject **out = p;
    if (obj == Py_None) {
        *out = NULL;
        return 1;
    }
    return pyossl_path_converter(obj, p);
}

/* ------------------------------------------------------------------------
 * Scalars and callables
 * --------------------------------------------------------------------- */

int
pyossl_long_converter(PyObject *obj, void *p)
{
    long value;
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "an integer is required, not %.100s",
                     Py_TYPE(obj)->tp_name);
        return 0;
    }
    value = PyLong_AsLong(obj);
    if (value == -1 && PyErr_Occurred())
        return 0;
    *(long *)p = value;
    return 1;
}

int
pyossl_callable_or_none(PyObject *obj, void *p)
{
    if (obj == Py_None) {
        *(PyObject **)p = NULL;
        return 1;
    }
    if (!PyCallable_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        return 0;
    }
    *(PyObject **)p = obj;
    return 1;
}

/* ------------------------------------------------------------------------
 * OpenSSL values -> Python
 * --------------------------------------------------------------------- */

PyObject *
pyossl_bio_to_bytes(BIO *bio)
{
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    if (len < 0)
        len = 0;
    return PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
}

PyObject *
pyossl_str_or_empty(const char *s)
{
    if (s == NULL)
        s = "";
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

PyObject *
pyossl_asn1_time_to_bytes(const ASN1_TIME *t, PyObject *error)
{
    ASN1_GENERALIZEDTIME *gt;
    PyObject *result;

    if (t == NULL || ASN1_STRING_length(t) == 0)
        Py_RETURN_NONE;
    if (ASN1_STRING_type(t) == V_ASN1_GENERALIZEDTIME)
        return PyBytes_FromStringAndSize(
            (const char *)ASN1_STRING_get0_data(t), ASN1_STRING_length(t));
    gt = ASN1_TIME_to_generalizedtime(t, NULL);
    if (gt == NULL)
        return pyossl_raise_error_queue(error);
    result = PyBytes_FromStringAndSize(
        (const char *)ASN1_STRING_get0_data(gt), ASN1_STRING_length(gt));
    ASN1_GENERALIZEDTIME_free(gt);
    return result;
}

PyObject *
pyossl_asn1_integer_to_long(const ASN1_INTEGER *i, PyObject *error)
{
    BIGNUM *bn;
    char *hex;
    PyObject *result;

    bn = ASN1_INTEGER_to_BN(i, NULL);
    if (bn == NULL)
        return pyossl_raise_error_queue(error);
    hex = BN_bn2hex(bn);
    BN_free(bn);
    if (hex == NULL)
        return pyossl_raise_error_queue(error);
    result = PyLong_FromString(hex, NULL, 16);
    OPENSSL_free(hex);
    return result;
}

ASN1_INTEGER *
pyossl_long_to_asn1_integer(PyObject *value, PyObject *error)
{
    PyObject *hex;
    const char *s;
    BIGNUM *bn = NULL;
    ASN1_INTEGER *result = NULL;
    int negative = 0;

    hex = PyNumber_ToBase(value, 16);   /* "0x1f" or "-0x1f" */
    if (hex == NULL)
        return NULL;
    s = PyUnicode_AsUTF8(hex);
    if (s == NULL)
        goto done;
    if (*s == '-') {
        negative = 1;
        s++;
    }
    s += 2;     /* "0x" */
    if (BN_hex2bn(&bn, s) == 0) {
        pyossl_raise_error_queue(error);
        goto done;
    }
    if (negative)
        BN_set_negative(bn, 1);
    result = BN_to_ASN1_INTEGER(bn, NULL);
    if (result == NULL)
        pyossl_raise_error_queue(error);
done:
    BN_free(bn);
    Py_DECREF(hex);
    return result;
}

PyObject *
pyossl_colon_hex(const unsigned char *data, size_t len)
{
    static const char digits[] = "0123456789ABCDEF";
    PyObject *result;
    char *out;
    size_t i;

    if (len == 0)
        return PyBytes_FromStringAndSize("", 0);
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(len * 3 - 1));
    if (result == NULL)
        return NULL;
    out = PyBytes_AS_STRING(result);
    for (i = 0; i < len; i++) {
        if (i > 0)
            *out++ = ':';
        *out++ = digits[data[i] >> 4];
        *out++ = digits[data[i] & 0xf];
    }
    return result;
}

int
pyossl_name_arg(PyObject *obj, const char *what, const char **out)
{
    const char *s = NULL;
    Py_ssize_t len = 0;

    if (PyUnicode_Check(obj))
        s = PyUnicode_AsUTF8AndSize(obj, &len);
    else if (PyBytes_Check(obj)) {
        s = PyBytes_AS_STRING(obj);
        len = PyBytes_GET_SIZE(obj);
    } else {
        PyErr_Format(PyExc_TypeError, "%s, not %.100s", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    if (s == NULL)
        return -1;
    /* A name with an embedded NUL names nothing. */
    *out = (size_t)len == strlen(s) ? s : NULL;
    return 0;
}

const EVP_MD *
pyossl_digest_by_name(PyObject *name)
{
    const char *s;
    const EVP_MD *md;

    if (pyossl_name_arg(name, "digest name must be str or bytes", &s) < 0)
        return NULL;
    md = s != NULL ? EVP_get_digestbyname(s) : NULL;
    if (md == NULL) {
        pyossl_clear_errors();
        PyErr_SetString(PyExc_ValueError, "No such digest method");
    }
    return md;
}

PyObject *
pyossl_take_openssl_buffer(unsigned char *buf, int len, PyObject *error)
{
    PyObject *result;
    if (len < 0 || buf == NULL)
        return pyossl_raise_error_queue(error);
    result = PyBytes_FromStringAndSize((const char *)buf, len);
    OPENSSL_free(buf);
    return result;
}
