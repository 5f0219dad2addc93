/*
 * x509.c -- OpenSSL.crypto.X509, an X.509 certificate.
 */
#include "crypto.h"

#include <time.h>

/* ------------------------------------------------------------------------
 * Construction and access
 * --------------------------------------------------------------------- */

/* A new instance of `type` owning `x509` (reference consumed, even on
 * failure). */
static PyObject *
x509_wrap_type(PyTypeObject *type, X509 *x509)
{
    X509Object *self = (X509Object *)type->tp_alloc(type, 0);
    if (self == NULL) {
        X509_free(x509);
        return NULL;
    }
    self->x509 = x509;
    self->subject_gen = 0;
    self->issuer_gen = 0;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

PyObject *
crypto_x509_wrap(crypto_state *st, X509 *x509)
{
    return x509_wrap_type(st->X509_Type, x509);
}

PyObject *
crypto_x509_from_ptr(crypto_state *st, X509 *x509)
{
    if (!X509_up_ref(x509))
        return CRYPTO_RAISE(st);
    return crypto_x509_wrap(st, x509);
}

X509 *
crypto_x509_ptr(crypto_state *st, PyObject *obj, const char *what)
{
    if (!PyObject_TypeCheck(obj, st->X509_Type)) {
        PyErr_Format(st->TypeAttributeError,
                     "%s must be an X509 instance, not %.100s", what,
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return ((X509Object *)obj)->x509;
}

/* d2i an X509 from DER bytes (a new reference), or NULL with Error. */
static X509 *
x509_from_der(crypto_state *st, PyObject *der)
{
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(der);
    X509 *x509 = d2i_X509(NULL, &p, (long)PyBytes_GET_SIZE(der));
    if (x509 == NULL)
        CRYPTO_RAISE(st);
    return x509;
}

X509 *
crypto_x509_from_any(crypto_state *st, PyObject *obj)
{
    PyObject *der;
    X509 *x509;

    if (PyObject_TypeCheck(obj, st->X509_Type)) {
        x509 = ((X509Object *)obj)->x509;
        if (!X509_up_ref(x509))
            return (X509 *)CRYPTO_RAISE(st);
        return x509;
    }
    der = crypto_cryptography_der_of(obj, "Certificate", PyExc_TypeError,
                                     "Must be a certificate", 0);
    if (der == NULL)
        return NULL;
    x509 = x509_from_der(st, der);
    Py_DECREF(der);
    return x509;
}

PyObject *
crypto_x509_to_cryptography(crypto_state *st, X509 *x509)
{
    unsigned char *der = NULL;
    int len = i2d_X509(x509, &der);

    return crypto_der_to_cryptography(st, der, len,
                                      "load_der_x509_certificate");
}

/* tp_new ignores its arguments and tp_init checks them, so that a subclass
 * may give its __init__ another signature. */
static PyObject *
x509_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
         PyObject *Py_UNUSED(kwargs))
{
    X509 *x509 = X509_new();
    if (x509 == NULL) {
        crypto_state *st = crypto_state_of_type(type);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    return x509_wrap_type(type, x509);
}

PYOSSL_NO_ARGUMENTS_INIT(x509_init, "X509")

static void
x509_dealloc(X509Object *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    X509_free(self->x509);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Version and serial number
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509_set_version_doc,
"set_version($self, /, version)\n--\n\n"
"Set the version number of the certificate. The value is zero-based:\n"
"0 is v1, 2 is v3.\n\n"
":raises Error: if OpenSSL rejects the value.");

static PyObject *
x509_set_version(X509Object *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"version", NULL};
    PyObject *obj;
    long version;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_version", kwlist,
                                     &obj))
        return NULL;
    if (!PyLong_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "version must be an integer");
        return NULL;
    }
    version = PyLong_AsLong(obj);
    if (version == -1 && PyErr_Occurred())
        return NULL;
    if (X509_set_version(self->x509, version) != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_get_version_doc,
"get_version($self, /)\n--\n\n"
"Return the (zero-based) version number of the certificate.");

static PyObject *
x509_get_version(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(X509_get_version(self->x509));
}

PyDoc_STRVAR(x509_set_serial_number_doc,
"set_serial_number($self, /, serial)\n--\n\n"
"Set the serial number of the certificate (an int of any size).");

static PyObject *
x509_set_serial_number(X509Object *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"serial", NULL};
    PyObject *serial;
    ASN1_INTEGER *asn1;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_serial_number",
                                     kwlist, &serial))
        return NULL;
    if (!PyLong_Check(serial)) {
        PyErr_SetString(PyExc_TypeError, "serial must be an integer");
        return NULL;
    }
    asn1 = pyossl_long_to_asn1_integer(serial, st->Error);
    if (asn1 == NULL)
        return NULL;
    rc = X509_set_serialNumber(self->x509, asn1);
    ASN1_INTEGER_free(asn1);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_get_serial_number_doc,
"get_serial_number($self, /)\n--\n\n"
"Return the serial number of this certificate (an int).");

static PyObject *
x509_get_serial_number(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    CRYPTO_METHOD_STATE(self, st);
    return pyossl_asn1_integer_to_long(X509_get0_serialNumber(self->x509),
                                       st->Error);
}

/* ------------------------------------------------------------------------
 * Validity
 * --------------------------------------------------------------------- */

/* Parse the single `when` argument of the set_not* methods. */
static PyObject *
parse_when(PyObject *args, PyObject *kwargs, const char *fmt)
{
    static char *kwlist[] = {"when", NULL};
    PyObject *when;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &when))
        return NULL;
    return when;
}

PyDoc_STRVAR(x509_set_notBefore_doc,
"set_notBefore($self, /, when)\n--\n\n"
"Set the timestamp at which the certificate starts being valid.\n\n"
"when is bytes of the form YYYYMMDDhhmmssZ (or with a +hhmm/-hhmm\n"
"offset instead of Z).\n\n"
":raises TypeError: if when is not bytes.\n"
":raises ValueError: if when is not a valid time ('Invalid string').");

static PyObject *
x509_set_notBefore(X509Object *self, PyObject *args, PyObject *kwargs)
{
    PyObject *when = parse_when(args, kwargs, "O:set_notBefore");
    CRYPTO_METHOD_STATE(self, st);
    if (when == NULL)
        return NULL;
    if (crypto_asn1_time_set(st, X509_getm_notBefore(self->x509), when) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_set_notAfter_doc,
"set_notAfter($self, /, when)\n--\n\n"
"Set the timestamp at which the certificate stops being valid; see\n"
"set_notBefore() for the format.");

static PyObject *
x509_set_notAfter(X509Object *self, PyObject *args, PyObject *kwargs)
{
    PyObject *when = parse_when(args, kwargs, "O:set_notAfter");
    CRYPTO_METHOD_STATE(self, st);
    if (when == NULL)
        return NULL;
    if (crypto_asn1_time_set(st, X509_getm_notAfter(self->x509), when) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_get_notBefore_doc,
"get_notBefore($self, /)\n--\n\n"
"Get the timestamp at which the certificate starts being valid, as\n"
"ASN.1 GeneralizedTime bytes (YYYYMMDDhhmmssZ), or None if unset.");

static PyObject *
x509_get_notBefore(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    CRYPTO_METHOD_STATE(self, st);
    return pyossl_asn1_time_to_bytes(X509_get0_notBefore(self->x509),
                                     st->Error);
}

PyDoc_STRVAR(x509_get_notAfter_doc,
"get_notAfter($self, /)\n--\n\n"
"Get the timestamp at which the certificate stops being valid, as\n"
"ASN.1 GeneralizedTime bytes (YYYYMMDDhhmmssZ), or None if unset.");

static PyObject *
x509_get_notAfter(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    CRYPTO_METHOD_STATE(self, st);
    return pyossl_asn1_time_to_bytes(X509_get0_notAfter(self->x509),
                                     st->Error);
}

/* Parse the `amount` argument of the gmtime_adj_* methods. */
static int
parse_amount(PyObject *args, PyObject *kwargs, const char *fmt, long *out)
{
    static char *kwlist[] = {"amount", NULL};
    PyObject *amount;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, fmt, kwlist, &amount))
        return -1;
    if (!PyLong_Check(amount)) {
        PyErr_SetString(PyExc_TypeError, "amount must be an integer");
        return -1;
    }
    *out = PyLong_AsLong(amount);
    if (*out == -1 && PyErr_Occurred())
        return -1;
    return 0;
}

/* X509_gmtime_adj() fails without a word on the queue when the result is
 * not a representable time (before year 0 or after 9999). */
static PyObject *
time_out_of_range(crypto_state *st)
{
    if (ERR_peek_error() == 0)
        ERR_raise_data(ERR_LIB_ASN1, ASN1_R_ERROR_GETTING_TIME,
                       "time out of range");
    return CRYPTO_RAISE(st);
}

PyDoc_STRVAR(x509_gmtime_adj_notBefore_doc,
"gmtime_adj_notBefore($self, /, amount)\n--\n\n"
"Set notBefore to the current time plus amount seconds.\n\n"
":raises Error: if the result is not a representable time.");

static PyObject *
x509_gmtime_adj_notBefore(X509Object *self, PyObject *args, PyObject *kwargs)
{
    long amount;
    CRYPTO_METHOD_STATE(self, st);
    if (parse_amount(args, kwargs, "O:gmtime_adj_notBefore", &amount) < 0)
        return NULL;
    if (X509_gmtime_adj(X509_getm_notBefore(self->x509), amount) == NULL)
        return time_out_of_range(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_gmtime_adj_notAfter_doc,
"gmtime_adj_notAfter($self, /, amount)\n--\n\n"
"Set notAfter to the current time plus amount seconds.");

static PyObject *
x509_gmtime_adj_notAfter(X509Object *self, PyObject *args, PyObject *kwargs)
{
    long amount;
    CRYPTO_METHOD_STATE(self, st);
    if (parse_amount(args, kwargs, "O:gmtime_adj_notAfter", &amount) < 0)
        return NULL;
    if (X509_gmtime_adj(X509_getm_notAfter(self->x509), amount) == NULL)
        return time_out_of_range(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_has_expired_doc,
"has_expired($self, /)\n--\n\n"
"Check whether the certificate has expired (a bool).\n\n"
":raises ValueError: if notAfter is unset or not of the form\n"
"    YYYYMMDDhhmmssZ.");

static PyObject *
x509_has_expired(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    const ASN1_TIME *not_after = X509_get0_notAfter(self->x509);
    PyObject *text;
    const char *s;
    Py_ssize_t i, n;
    int cmp;
    CRYPTO_METHOD_STATE(self, st);

    text = pyossl_asn1_time_to_bytes(not_after, st->Error);
    if (text == NULL)
        return NULL;
    if (text == Py_None) {
        Py_DECREF(text);
        PyErr_SetString(PyExc_ValueError, "Unable to determine notAfter");
        return NULL;
    }
    /* pyOpenSSL parses the value with strptime("%Y%m%d%H%M%SZ"): accept
     * exactly that form. */
    s = PyBytes_AS_STRING(text);
    n = PyBytes_GET_SIZE(text);
    for (i = 0; i < 14 && i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            break;
    if (n != 15 || i != 14 || s[14] != 'Z' || !ASN1_TIME_check(not_after)) {
        PyObject *str = PyUnicode_DecodeUTF8(s, n, "replace");
        pyossl_clear_errors();
        if (str != NULL) {
            PyErr_Format(PyExc_ValueError, "time data %R does not match "
                         "format '%%Y%%m%%d%%H%%M%%SZ'", str);
            Py_DECREF(str);
        }
        Py_DECREF(text);
        return NULL;
    }
    Py_DECREF(text);
    cmp = ASN1_TIME_cmp_time_t(not_after, time(NULL));
    if (cmp == -2)
        return CRYPTO_RAISE(st);
    /* pyOpenSSL: not_after < now, where now has sub-second precision, so
     * a certificate is expired from its notAfter second on. */
    return PyBool_FromLong(cmp <= 0);
}

/* ------------------------------------------------------------------------
 * Subject and issuer
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509_get_subject_doc,
"get_subject($self, /)\n--\n\n"
"Return the subject of this certificate as a live X509Name view:\n"
"modifying it modifies the certificate. A later set_subject() makes the\n"
"view stale (using it then raises AttributeError).");

static PyObject *
x509_get_subject(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    X509_NAME *name = X509_get_subject_name(self->x509);
    CRYPTO_METHOD_STATE(self, st);
    if (name == NULL)
        return CRYPTO_RAISE(st);
    return crypto_x509name_view(st, name, (PyObject *)self,
                                &self->subject_gen);
}

PyDoc_STRVAR(x509_get_issuer_doc,
"get_issuer($self, /)\n--\n\n"
"Return the issuer of this certificate as a live X509Name view; see\n"
"get_subject().");

static PyObject *
x509_get_issuer(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    X509_NAME *name = X509_get_issuer_name(self->x509);
    CRYPTO_METHOD_STATE(self, st);
    if (name == NULL)
        return CRYPTO_RAISE(st);
    return crypto_x509name_view(st, name, (PyObject *)self,
                                &self->issuer_gen);
}

static PyObject *
set_name(X509Object *self, PyObject *args, PyObject *kwargs, int subject)
{
    static char *subject_kwlist[] = {"subject", NULL};
    static char *issuer_kwlist[] = {"issuer", NULL};
    PyObject *obj;
    X509_NAME *name;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, subject ? "O:set_subject" : "O:set_issuer",
            subject ? subject_kwlist : issuer_kwlist, &obj))
        return NULL;
    if (!PyObject_TypeCheck(obj, st->X509Name_Type)) {
        PyErr_SetString(PyExc_TypeError, "name must be an X509Name");
        return NULL;
    }
    name = crypto_x509name_ptr(st, obj);
    if (name == NULL)
        return NULL;
    rc = subject ? X509_set_subject_name(self->x509, name)
                 : X509_set_issuer_name(self->x509, name);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    /* The old X509_NAME is gone: stale every view handed out so far. */
    if (subject)
        self->subject_gen++;
    else
        self->issuer_gen++;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_set_subject_doc,
"set_subject($self, /, subject)\n--\n\n"
"Set the subject of this certificate (a copy of the X509Name).");

static PyObject *
x509_set_subject(X509Object *self, PyObject *args, PyObject *kwargs)
{
    return set_name(self, args, kwargs, 1);
}

PyDoc_STRVAR(x509_set_issuer_doc,
"set_issuer($self, /, issuer)\n--\n\n"
"Set the issuer of this certificate (a copy of the X509Name).");

static PyObject *
x509_set_issuer(X509Object *self, PyObject *args, PyObject *kwargs)
{
    return set_name(self, args, kwargs, 0);
}

PyDoc_STRVAR(x509_subject_name_hash_doc,
"subject_name_hash($self, /)\n--\n\n"
"Return the hash of the X509 subject (OpenSSL's X509_subject_name_hash).");

static PyObject *
x509_subject_name_hash(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    unsigned long h = X509_subject_name_hash(self->x509);
    pyossl_clear_errors();
    return PyLong_FromUnsignedLong(h);
}

/* ------------------------------------------------------------------------
 * Keys, signing and digests
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509_get_pubkey_doc,
"get_pubkey($self, /)\n--\n\n"
"Get the public key of the certificate (a public-only PKey).\n\n"
":raises Error: if the certificate has no (usable) public key.");

static PyObject *
x509_get_pubkey(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    pkey = crypto_pkey_public_copy(st, X509_get0_pubkey(self->x509));
    if (pkey == NULL)
        return NULL;
    return crypto_pkey_wrap(st, pkey, 1);
}

PyDoc_STRVAR(x509_set_pubkey_doc,
"set_pubkey($self, /, pkey)\n--\n\n"
"Set the public key of the certificate.");

static PyObject *
x509_set_pubkey(X509Object *self, PyObject *args, PyObject *kwargs)
{
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    pkey = crypto_pubkey_arg(st, args, kwargs);
    if (pkey == NULL)
        return NULL;
    if (X509_set_pubkey(self->x509, pkey) != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_sign_doc,
"sign($self, /, pkey, digest)\n--\n\n"
"Sign the certificate with this key and digest type (a name such as\n"
"'sha256').\n\n"
":raises ValueError: for a public-only or uninitialized key or an unknown\n"
"    digest.");

static PyObject *
x509_sign(X509Object *self, PyObject *args, PyObject *kwargs)
{
    const EVP_MD *md;
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    if (crypto_sign_args(st, args, kwargs, "Key only has public part", &pkey,
                         &md) < 0)
        return NULL;
    if (X509_sign(self->x509, pkey, md) <= 0)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509_get_signature_algorithm_doc,
"get_signature_algorithm($self, /)\n--\n\n"
"Return the long name of the signature algorithm used in the certificate\n"
"(bytes, e.g. b'sha256WithRSAEncryption').\n\n"
":raises ValueError: if the signature algorithm is undefined.");

static PyObject *
x509_get_signature_algorithm(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    const X509_ALGOR *alg = X509_get0_tbs_sigalg(self->x509);
    const ASN1_OBJECT *obj = NULL;
    int nid;

    X509_ALGOR_get0(&obj, NULL, NULL, alg);
    nid = obj ? OBJ_obj2nid(obj) : NID_undef;
    if (nid == NID_undef) {
        pyossl_clear_errors();
        PyErr_SetString(PyExc_ValueError, "Undefined signature algorithm");
        return NULL;
    }
    return PyBytes_FromString(OBJ_nid2ln(nid));
}

PyDoc_STRVAR(x509_digest_doc,
"digest($self, /, digest_name)\n--\n\n"
"Return the digest of the certificate as upper-case hex pairs joined by\n"
"':' (bytes). digest_name is a name such as 'sha256'.");

static PyObject *
x509_digest(X509Object *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"digest_name", NULL};
    PyObject *name;
    const EVP_MD *md;
    unsigned char buf[EVP_MAX_MD_SIZE];
    unsigned int len = sizeof(buf);
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:digest", kwlist,
                                     &name))
        return NULL;
    md = pyossl_digest_by_name(name);
    if (md == NULL)
        return NULL;
    if (X509_digest(self->x509, md, buf, &len) != 1)
        return CRYPTO_RAISE(st);
    return pyossl_colon_hex(buf, len);
}

/* ------------------------------------------------------------------------
 * Extensions
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509_get_extension_count_doc,
"get_extension_count($self, /)\n--\n\n"
"Get the number of extensions on this certificate.");

static PyObject *
x509_get_extension_count(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(X509_get_ext_count(self->x509));
}

PyDoc_STRVAR(x509_get_extension_doc,
"get_extension($self, /, index)\n--\n\n"
"Get a copy of the extension at index (an X509Extension).\n\n"
":raises IndexError: if the index is out of range.");

static PyObject *
x509_get_extension(X509Object *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"index", NULL};
    PyObject *obj;
    long index;
    X509_EXTENSION *ext;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:get_extension", kwlist,
                                     &obj))
        return NULL;
    if (!PyLong_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "index must be an integer, not %.100s",
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    index = PyLong_AsLong(obj);
    if (index == -1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return NULL;
        PyErr_Clear();
        index = -1;
    }
    ext = (index < 0 || index > INT_MAX) ? NULL
                                         : X509_get_ext(self->x509, (int)index);
    if (ext == NULL) {
        pyossl_clear_errors();
        PyErr_SetString(PyExc_IndexError, "extension index out of bounds");
        return NULL;
    }
    return crypto_x509ext_from_ptr(st, ext);
}

PyDoc_STRVAR(x509_add_extensions_doc,
"add_extensions($self, /, extensions)\n--\n\n"
"Add extensions to the certificate from an iterable of X509Extension.\n\n"
":raises ValueError: if an element is not an X509Extension.");

static PyObject *
x509_add_extensions(X509Object *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"extensions", NULL};
    PyObject *extensions, *iter, *item;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:add_extensions",
                                     kwlist, &extensions))
        return NULL;
    iter = PyObject_GetIter(extensions);
    if (iter == NULL)
        return NULL;
    while ((item = PyIter_Next(iter)) != NULL) {
        int ok;
        if (!PyObject_TypeCheck(item, st->X509Extension_Type)) {
            Py_DECREF(item);
            Py_DECREF(iter);
            PyErr_SetString(PyExc_ValueError,
                            "One of the elements is not an X509Extension");
            return NULL;
        }
        ok = X509_add_ext(self->x509, ((X509ExtensionObject *)item)->ext, -1);
        Py_DECREF(item);
        if (!ok) {
            Py_DECREF(iter);
            return CRYPTO_RAISE(st);
        }
    }
    Py_DECREF(iter);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * cryptography interop and private attributes
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509_to_cryptography_doc,
"to_cryptography($self, /)\n--\n\n"
"Export as a ``cryptography`` Certificate (an independent copy).");

static PyObject *
x509_to_cryptography(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    CRYPTO_METHOD_STATE(self, st);
    return crypto_x509_to_cryptography(st, self->x509);
}

PyDoc_STRVAR(x509_from_cryptography_doc,
"from_cryptography($type, /, crypto_cert)\n--\n\n"
"Construct based on a ``cryptography`` Certificate (an independent copy).\n\n"
":raises TypeError: if crypto_cert is not a cryptography Certificate.");

static PyObject *
x509_from_cryptography(PyTypeObject *cls, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"crypto_cert", NULL};
    PyObject *cert, *der;
    X509 *x509;
    crypto_state *st = crypto_state_of_type(cls);

    if (st == NULL)
        return NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:from_cryptography",
                                     kwlist, &cert))
        return NULL;
    /* Unlike crypto_x509_from_any(), without cryptography this is its
     * ImportError, not a TypeError. */
    der = crypto_cryptography_der_of(cert, "Certificate", PyExc_TypeError,
                                     "Must be a certificate", 1);
    if (der == NULL)
        return NULL;
    x509 = x509_from_der(st, der);
    Py_DECREF(der);
    if (x509 == NULL)
        return NULL;
    return x509_wrap_type(cls, x509);
}

PyDoc_STRVAR(x509_copy_doc,
"__copy__($self, /)\n--\n\n"
"copy.copy() support: an independent copy of the certificate (and of a\n"
"subclass instance's __dict__). OpenSSL copies through DER, so a\n"
"certificate too incomplete to encode raises Error. Not picklable, as in\n"
"pyOpenSSL.");

static PyObject *
x509_copy(X509Object *self, PyObject *Py_UNUSED(ignored))
{
    X509 *dup;
    CRYPTO_METHOD_STATE(self, st);

    dup = X509_dup(self->x509);
    if (dup == NULL)
        return CRYPTO_RAISE(st);
    return crypto_copy_finish((PyObject *)self,
                              x509_wrap_type(Py_TYPE(self), dup));
}

static PyObject *
x509_get_x509(X509Object *self, void *Py_UNUSED(closure))
{
    return PyCapsule_New(self->x509, "OpenSSL.crypto.X509._x509", NULL);
}

static PyGetSetDef x509_getset[] = {
    {"_x509", (getter)x509_get_x509, NULL,
     "The X509* as a PyCapsule (not a cffi pointer).", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))x509_##name, \
     METH_VARARGS | METH_KEYWORDS, x509_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)x509_##name, METH_NOARGS, x509_##name##_doc}

static PyMethodDef x509_methods[] = {
    METH_KW(set_version),
    METH_NO(get_version),
    METH_KW(set_serial_number),
    METH_NO(get_serial_number),
    METH_KW(set_notBefore),
    METH_KW(set_notAfter),
    METH_NO(get_notBefore),
    METH_NO(get_notAfter),
    METH_KW(gmtime_adj_notBefore),
    METH_KW(gmtime_adj_notAfter),
    METH_NO(has_expired),
    METH_NO(get_subject),
    METH_NO(get_issuer),
    METH_KW(set_subject),
    METH_KW(set_issuer),
    METH_NO(subject_name_hash),
    METH_NO(get_pubkey),
    METH_KW(set_pubkey),
    METH_KW(sign),
    METH_NO(get_signature_algorithm),
    METH_KW(digest),
    METH_NO(get_extension_count),
    METH_KW(get_extension),
    METH_KW(add_extensions),
    METH_NO(to_cryptography),
    {"from_cryptography", (PyCFunction)(void (*)(void))x509_from_cryptography,
     METH_VARARGS | METH_KEYWORDS | METH_CLASS, x509_from_cryptography_doc},
    {"__copy__", (PyCFunction)x509_copy, METH_NOARGS, x509_copy_doc},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef x509_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(X509Object, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(x509_doc,
"X509()\n--\n\n"
"An X.509 certificate. X509() creates an empty one.");

static PyType_Slot x509_slots[] = {
    {Py_tp_doc, (void *)x509_doc},
    {Py_tp_new, x509_new},
    {Py_tp_init, x509_init},
    {Py_tp_dealloc, x509_dealloc},
    {Py_tp_methods, x509_methods},
    {Py_tp_members, x509_members},
    {Py_tp_getset, x509_getset},
    {0, NULL}
};

static PyType_Spec x509_spec = {
    .name = "OpenSSL.crypto.X509",
    .basicsize = sizeof(X509Object),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = x509_slots,
};

int
crypto_x509_register(PyObject *module, crypto_state *st)
{
    st->X509_Type = (PyTypeObject *)PyType_FromModuleAndSpec(module,
                                                             &x509_spec,
                                                             NULL);
    if (st->X509_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "X509", (PyObject *)st->X509_Type);
}
