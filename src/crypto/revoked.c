/*
 * revoked.c -- OpenSSL.crypto.Revoked, one entry of a certificate
 * revocation list (an X509_REVOKED).
 *
 * A Revoked is always an independent object: CRL.add_revoked() stores a copy
 * and CRL.get_revoked() hands out copies, as pyOpenSSL does, so no Revoked
 * ever points into a CRL.
 */
#include "crypto.h"

/* The reasons set_reason() accepts, in all_reasons() order (0.13's list,
 * API.md 3.2 row 28), with their RFC 5280 CRLReason codes: code 7 is
 * unused, so the code is not the list index. */
static const struct {
    const char *name;
    const char *lower;       /* what set_reason() compares with */
    int code;
} crl_reasons[] = {
    {"unspecified", "unspecified", 0},
    {"keyCompromise", "keycompromise", 1},
    {"CACompromise", "cacompromise", 2},
    {"affiliationChanged", "affiliationchanged", 3},
    {"superseded", "superseded", 4},
    {"cessationOfOperation", "cessationofoperation", 5},
    {"certificateHold", "certificatehold", 6},
    {"removeFromCRL", "removefromcrl", 8},
};

#define N_REASONS (sizeof(crl_reasons) / sizeof(crl_reasons[0]))

/* ------------------------------------------------------------------------
 * Construction and access
 * --------------------------------------------------------------------- */

/* A new instance of `type` owning `revoked` (freed on failure). */
static PyObject *
revoked_wrap_type(PyTypeObject *type, X509_REVOKED *revoked)
{
    RevokedObject *self = (RevokedObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        X509_REVOKED_free(revoked);
        return NULL;
    }
    self->revoked = revoked;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

PyObject *
crypto_revoked_wrap(crypto_state *st, X509_REVOKED *revoked)
{
    return revoked_wrap_type(st->Revoked_Type, revoked);
}

X509_REVOKED *
crypto_revoked_ptr(crypto_state *st, PyObject *obj, const char *what)
{
    if (!PyObject_TypeCheck(obj, st->Revoked_Type)) {
        PyErr_Format(st->TypeAttributeError,
                     "%s must be a Revoked instance, not %.100s", what,
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return ((RevokedObject *)obj)->revoked;
}

int
crypto_asn1_time_set(crypto_state *st, ASN1_TIME *t, PyObject *when)
{
    if (!PyBytes_Check(when)) {
        PyErr_SetString(PyExc_TypeError, "when must be a byte string");
        return -1;
    }
    /* ASN1_TIME_set_string() reads a C string: a value with an embedded NUL
     * is not a time (pyOpenSSL would silently use the part before it). */
    if ((size_t)PyBytes_GET_SIZE(when) != strlen(PyBytes_AS_STRING(when))) {
        PyErr_SetString(PyExc_ValueError, "Invalid string");
        return -1;
    }
    if (t == NULL)
        return CRYPTO_RAISE_INT(st);
    if (ASN1_TIME_set_string(t, PyBytes_AS_STRING(when)) != 1) {
        pyossl_clear_errors();
        PyErr_SetString(PyExc_ValueError, "Invalid string");
        return -1;
    }
    return 0;
}

ASN1_TIME *
crypto_asn1_time_from_bytes(crypto_state *st, PyObject *when)
{
    /* A failed allocation is reported by crypto_asn1_time_set(), after
     * the checks of `when`. */
    ASN1_TIME *t = ASN1_TIME_new();

    if (crypto_asn1_time_set(st, t, when) < 0) {
        ASN1_TIME_free(t);
        return NULL;
    }
    return t;
}

/* tp_new ignores its arguments and tp_init checks them, so that a subclass
 * may give its __init__ another signature. */
static PyObject *
revoked_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
            PyObject *Py_UNUSED(kwargs))
{
    X509_REVOKED *revoked;

    revoked = X509_REVOKED_new();
    if (revoked == NULL) {
        crypto_state *st = crypto_state_of_type(type);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    return revoked_wrap_type(type, revoked);
}

PYOSSL_NO_ARGUMENTS_INIT(revoked_init, "Revoked")

static void
revoked_dealloc(RevokedObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    X509_REVOKED_free(self->revoked);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Serial number
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(revoked_set_serial_doc,
"set_serial($self, /, hex_str)\n--\n\n"
"Set the serial number, given as hexadecimal digits in bytes (such as\n"
"b'3ab'; a leading '-' makes it negative). As in OpenSSL's BN_hex2bn,\n"
"reading stops at the first character that is not a hex digit.\n\n"
":raises TypeError: if hex_str is not bytes.\n"
":raises ValueError: if it does not start with a hex digit\n"
"    ('bad hex string').");

static PyObject *
revoked_set_serial(RevokedObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"hex_str", NULL};
    PyObject *hex_str;
    BIGNUM *bn = NULL;
    ASN1_INTEGER *serial;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_serial", kwlist,
                                     &hex_str))
        return NULL;
    if (!PyBytes_Check(hex_str)) {
        PyErr_Format(PyExc_TypeError,
                     "hex_str must be a byte string, not %.100s",
                     Py_TYPE(hex_str)->tp_name);
        return NULL;
    }
    /* The bytes object is NUL-terminated: BN_hex2bn() stops there at the
     * latest. */
    if (BN_hex2bn(&bn, PyBytes_AS_STRING(hex_str)) == 0) {
        BN_free(bn);
        return pyossl_raise_message(PyExc_ValueError, "bad hex string");
    }
    serial = BN_to_ASN1_INTEGER(bn, NULL);
    BN_free(bn);
    if (serial == NULL)
        return CRYPTO_RAISE(st);
    rc = X509_REVOKED_set_serialNumber(self->revoked, serial);
    ASN1_INTEGER_free(serial);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(revoked_get_serial_doc,
"get_serial($self, /)\n--\n\n"
"Return the serial number as upper-case hexadecimal bytes, formatted by\n"
"OpenSSL's i2a_ASN1_INTEGER (an even number of digits; very long numbers\n"
"are split into lines ending with a backslash).");

static PyObject *
revoked_get_serial(RevokedObject *self, PyObject *Py_UNUSED(ignored))
{
    const ASN1_INTEGER *serial;
    PyObject *result;
    BIO *bio;
    CRYPTO_METHOD_STATE(self, st);

    serial = X509_REVOKED_get0_serialNumber(self->revoked);
    if (serial == NULL)
        return CRYPTO_RAISE(st);
    bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return CRYPTO_RAISE(st);
    if (i2a_ASN1_INTEGER(bio, serial) < 0)
        result = CRYPTO_RAISE(st);
    else
        result = pyossl_bio_to_bytes(bio);
    BIO_free(bio);
    return result;
}

/* ------------------------------------------------------------------------
 * Reason
 * --------------------------------------------------------------------- */

/* Remove every CRL reason extension. 0 or -1 with Error. */
static int
delete_reason(crypto_state *st, X509_REVOKED *revoked)
{
    int loc;
    while ((loc = X509_REVOKED_get_ext_by_NID(revoked, NID_crl_reason,
                                              -1)) >= 0) {
        X509_EXTENSION *ext = X509_REVOKED_delete_ext(revoked, loc);
        if (ext == NULL)
            return CRYPTO_RAISE_INT(st);
        X509_EXTENSION_free(ext);
    }
    pyossl_clear_errors();
    return 0;
}

/* The RFC 5280 code of a reason given as bytes, compared without case and
 * spaces; -1 with ValueError if it is none of all_reasons(). */
static int
reason_code(PyObject *reason)
{
    const char *s = PyBytes_AS_STRING(reason);
    Py_ssize_t n = PyBytes_GET_SIZE(reason), i, j = 0;
    char buf[32];
    size_t k;
    PyObject *normalized;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ')
            continue;
        if (j == (Py_ssize_t)sizeof(buf) - 1)
            break;              /* longer than every known reason */
        buf[j++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    if (i == n) {
        buf[j] = '\0';
        for (k = 0; k < N_REASONS; k++)
            if ((size_t)j == strlen(crl_reasons[k].lower) &&
                memcmp(buf, crl_reasons[k].lower, (size_t)j) == 0)
                return crl_reasons[k].code;
    }
    /* pyOpenSSL's message is list.index()'s: repr of the normalized value. */
    normalized = PyObject_CallMethod(reason, "lower", NULL);
    if (normalized != NULL) {
        PyObject *stripped = PyObject_CallMethod(normalized, "replace",
                                                 "y#y#", " ", (Py_ssize_t)1,
                                                 "", (Py_ssize_t)0);
        Py_DECREF(normalized);
        if (stripped != NULL) {
            PyErr_Format(PyExc_ValueError, "%R is not in list", stripped);
            Py_DECREF(stripped);
        }
    }
    return -1;
}

PyDoc_STRVAR(revoked_set_reason_doc,
"set_reason($self, /, reason)\n--\n\n"
"Set the reason of this revocation: one of all_reasons() as bytes, compared\n"
"ignoring case and spaces (b'key compromise' is keyCompromise). The CRL\n"
"reason code stored is RFC 5280's (removeFromCRL is 8). None deletes the\n"
"reason.\n\n"
":raises TypeError: if reason is neither bytes nor None.\n"
":raises ValueError: if it is not a known reason.");

static PyObject *
revoked_set_reason(RevokedObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"reason", NULL};
    PyObject *reason;
    ASN1_ENUMERATED *value;
    int code, rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_reason", kwlist,
                                     &reason))
        return NULL;
    if (reason == Py_None) {
        if (delete_reason(st, self->revoked) < 0)
            return NULL;
        Py_RETURN_NONE;
    }
    if (!PyBytes_Check(reason)) {
        PyErr_SetString(PyExc_TypeError,
                        "reason must be None or a byte string");
        return NULL;
    }
    code = reason_code(reason);
    if (code < 0)
        return NULL;
    value = ASN1_ENUMERATED_new();
    if (value == NULL)
        return CRYPTO_RAISE(st);
    if (ASN1_ENUMERATED_set(value, code) != 1) {
        ASN1_ENUMERATED_free(value);
        return CRYPTO_RAISE(st);
    }
    if (delete_reason(st, self->revoked) < 0) {
        ASN1_ENUMERATED_free(value);
        return NULL;
    }
    rc = X509_REVOKED_add1_ext_i2d(self->revoked, NID_crl_reason, value, 0,
                                   X509V3_ADD_DEFAULT);
    ASN1_ENUMERATED_free(value);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(revoked_get_reason_doc,
"get_reason($self, /)\n--\n\n"
"Return the reason of this revocation as OpenSSL prints it (bytes such as\n"
"b'Key Compromise'), or None if there is none.");

static PyObject *
revoked_get_reason(RevokedObject *self, PyObject *Py_UNUSED(ignored))
{
    X509_EXTENSION *ext;
    PyObject *result;
    BIO *bio;
    int loc;
    CRYPTO_METHOD_STATE(self, st);

    loc = X509_REVOKED_get_ext_by_NID(self->revoked, NID_crl_reason, -1);
    if (loc < 0) {
        pyossl_clear_errors();
        Py_RETURN_NONE;
    }
    ext = X509_REVOKED_get_ext(self->revoked, loc);
    if (ext == NULL)
        return CRYPTO_RAISE(st);
    bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return CRYPTO_RAISE(st);
    /* As pyOpenSSL: OpenSSL's text for the value, or the raw octets if the
     * value cannot be decoded. */
    if (X509V3_EXT_print(bio, ext, 0, 0) != 1 &&
        ASN1_STRING_print(bio, X509_EXTENSION_get_data(ext)) != 1) {
        BIO_free(bio);
        return CRYPTO_RAISE(st);
    }
    pyossl_clear_errors();
    result = pyossl_bio_to_bytes(bio);
    BIO_free(bio);
    return result;
}

PyDoc_STRVAR(revoked_all_reasons_doc,
"all_reasons($self, /)\n--\n\n"
"Return a new list of the reasons set_reason() accepts (bytes):\n"
"b'unspecified', b'keyCompromise', b'CACompromise', b'affiliationChanged',\n"
"b'superseded', b'cessationOfOperation', b'certificateHold',\n"
"b'removeFromCRL'.");

static PyObject *
revoked_all_reasons(RevokedObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *list = PyList_New(N_REASONS);
    size_t i;
    (void)self;

    if (list == NULL)
        return NULL;
    for (i = 0; i < N_REASONS; i++) {
        PyObject *b = PyBytes_FromString(crl_reasons[i].name);
        if (b == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, b);
    }
    return list;
}

/* ------------------------------------------------------------------------
 * Revocation date
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(revoked_set_rev_date_doc,
"set_rev_date($self, /, when)\n--\n\n"
"Set the revocation timestamp: bytes of the form YYYYMMDDhhmmssZ (an ASN.1\n"
"time as OpenSSL's ASN1_TIME_set_string reads it).\n\n"
":raises TypeError: if when is not bytes.\n"
":raises ValueError: if when is not a valid time ('Invalid string').");

static PyObject *
revoked_set_rev_date(RevokedObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"when", NULL};
    PyObject *when;
    ASN1_TIME *t;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_rev_date", kwlist,
                                     &when))
        return NULL;
    t = crypto_asn1_time_from_bytes(st, when);
    if (t == NULL)
        return NULL;
    rc = X509_REVOKED_set_revocationDate(self->revoked, t);
    ASN1_TIME_free(t);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(revoked_get_rev_date_doc,
"get_rev_date($self, /)\n--\n\n"
"Return the revocation timestamp as ASN.1 GeneralizedTime bytes\n"
"(YYYYMMDDhhmmssZ), or None if it is unset.");

static PyObject *
revoked_get_rev_date(RevokedObject *self, PyObject *Py_UNUSED(ignored))
{
    CRYPTO_METHOD_STATE(self, st);
    return pyossl_asn1_time_to_bytes(
        X509_REVOKED_get0_revocationDate(self->revoked), st->Error);
}

/* ------------------------------------------------------------------------
 * Type
 * --------------------------------------------------------------------- */

static PyObject *
revoked_get_revoked(RevokedObject *self, void *Py_UNUSED(closure))
{
    return PyCapsule_New(self->revoked, "OpenSSL.crypto.Revoked._revoked",
                         NULL);
}

static PyGetSetDef revoked_getset[] = {
    {"_revoked", (getter)revoked_get_revoked, NULL,
     "The X509_REVOKED* as a PyCapsule (not a cffi pointer).", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))revoked_##name, \
     METH_VARARGS | METH_KEYWORDS, revoked_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)revoked_##name, METH_NOARGS, revoked_##name##_doc}

static PyMethodDef revoked_methods[] = {
    METH_KW(set_serial),
    METH_NO(get_serial),
    METH_KW(set_reason),
    METH_NO(get_reason),
    METH_NO(all_reasons),
    METH_KW(set_rev_date),
    METH_NO(get_rev_date),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef revoked_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(RevokedObject, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(revoked_doc,
"Revoked()\n--\n\n"
"A certificate revocation: one entry of a CRL (serial number, revocation\n"
"date and optional reason). Revoked() creates an empty one.");

static PyType_Slot revoked_slots[] = {
    {Py_tp_doc, (void *)revoked_doc},
    {Py_tp_new, revoked_new},
    {Py_tp_init, revoked_init},
    {Py_tp_dealloc, revoked_dealloc},
    {Py_tp_methods, revoked_methods},
    {Py_tp_members, revoked_members},
    {Py_tp_getset, revoked_getset},
    {0, NULL}
};

static PyType_Spec revoked_spec = {
    .name = "OpenSSL.crypto.Revoked",
    .basicsize = sizeof(RevokedObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = revoked_slots,
};

int
crypto_revoked_register(PyObject *module, crypto_state *st)
{
    st->Revoked_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &revoked_spec, NULL);
    if (st->Revoked_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "Revoked",
                                 (PyObject *)st->Revoked_Type);
}
