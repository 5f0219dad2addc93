/*
 * crl.c -- OpenSSL.crypto.CRL, a certificate revocation list, and the
 * module functions load_crl / dump_crl.
 *
 * Revocation entries go in and come out by value (CRL.add_revoked stores a
 * copy, CRL.get_revoked returns copies), so no Python object ever points
 * into the X509_CRL.
 */
#include "crypto.h"
#include "../common/passphrase.h"

/* ------------------------------------------------------------------------
 * Construction and access
 * --------------------------------------------------------------------- */

/* A new instance of `type` owning `crl` (freed on failure). */
static PyObject *
crl_wrap_type(PyTypeObject *type, X509_CRL *crl)
{
    CRLObject *self = (CRLObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        X509_CRL_free(crl);
        return NULL;
    }
    self->crl = crl;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

X509_CRL *
crypto_crl_ptr(crypto_state *st, PyObject *obj)
{
    if (!PyObject_TypeCheck(obj, st->CRL_Type)) {
        PyErr_Format(st->TypeAttributeError,
                     "crl must be a CRL instance, not %.100s",
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return ((CRLObject *)obj)->crl;
}

/* d2i an X509_CRL from DER bytes, or NULL with Error. */
static X509_CRL *
crl_from_der(crypto_state *st, PyObject *der)
{
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(der);
    X509_CRL *crl;

    if (PyBytes_GET_SIZE(der) > LONG_MAX) {
        PyErr_SetString(PyExc_ValueError, "CRL is too long");
        return NULL;
    }
    crl = d2i_X509_CRL(NULL, &p, (long)PyBytes_GET_SIZE(der));
    if (crl == NULL)
        CRYPTO_RAISE(st);
    else
        pyossl_clear_errors();
    return crl;
}

/* tp_new ignores its arguments and tp_init checks them, so that a subclass
 * may give its __init__ another signature. */
static PyObject *
crl_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
        PyObject *Py_UNUSED(kwargs))
{
    X509_CRL *crl;

    crl = X509_CRL_new();
    if (crl == NULL) {
        crypto_state *st = crypto_state_of_type(type);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    return crl_wrap_type(type, crl);
}

PYOSSL_NO_ARGUMENTS_INIT(crl_init, "CRL")

static void
crl_dealloc(CRLObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    X509_CRL_free(self->crl);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* The writer of dump_crl and CRL.export (a crypto_writer). TEXT is
 * exactly what X509_CRL_print() (`openssl crl -text -nameopt compat`)
 * writes, as in pyOpenSSL; the printer reports unprintable fields in the
 * text and may leave errors behind, which crypto_dump_object() clears. */
static int
write_crl(BIO *bio, long type, void *obj)
{
    X509_CRL *crl = obj;
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_write_bio_X509_CRL(bio, crl) == 1;
    if (type == CRYPTO_FILETYPE_ASN1)
        return i2d_X509_CRL_bio(bio, crl) == 1;
    return X509_CRL_print_ex(bio, crl, XN_FLAG_COMPAT) == 1;
}

/* ------------------------------------------------------------------------
 * Entries
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(crl_get_revoked_doc,
"get_revoked($self, /)\n--\n\n"
"Return the revocations in this CRL as a tuple of Revoked copies\n"
"(modifying them does not change the CRL), or None if it has none.");

static PyObject *
crl_get_revoked(CRLObject *self, PyObject *Py_UNUSED(ignored))
{
    STACK_OF(X509_REVOKED) *stack = X509_CRL_get_REVOKED(self->crl);
    PyObject *result;
    int i, n;
    CRYPTO_METHOD_STATE(self, st);

    n = stack == NULL ? 0 : sk_X509_REVOKED_num(stack);
    if (n <= 0)
        Py_RETURN_NONE;
    result = PyTuple_New(n);
    if (result == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        X509_REVOKED *copy = X509_REVOKED_dup(sk_X509_REVOKED_value(stack, i));
        PyObject *item;
        if (copy == NULL) {
            Py_DECREF(result);
            return CRYPTO_RAISE(st);
        }
        item = crypto_revoked_wrap(st, copy);
        if (item == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyTuple_SET_ITEM(result, i, item);
    }
    return result;
}

PyDoc_STRVAR(crl_add_revoked_doc,
"add_revoked($self, /, revoked)\n--\n\n"
"Add a copy of the Revoked entry to the CRL: changing revoked later does\n"
"not change the CRL.\n\n"
":raises Error: if OpenSSL cannot copy the entry (for example one without\n"
"    a revocation date).");

static PyObject *
crl_add_revoked(CRLObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"revoked", NULL};
    PyObject *obj;
    X509_REVOKED *revoked, *copy;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:add_revoked", kwlist,
                                     &obj))
        return NULL;
    revoked = crypto_revoked_ptr(st, obj, "revoked");
    if (revoked == NULL)
        return NULL;
    copy = X509_REVOKED_dup(revoked);
    if (copy == NULL)
        return CRYPTO_RAISE(st);
    if (X509_CRL_add0_revoked(self->crl, copy) != 1) {
        X509_REVOKED_free(copy);
        return CRYPTO_RAISE(st);
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * Fields
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(crl_get_issuer_doc,
"get_issuer($self, /)\n--\n\n"
"Return a copy of the CRL's issuer name (an X509Name).");

static PyObject *
crl_get_issuer(CRLObject *self, PyObject *Py_UNUSED(ignored))
{
    const X509_NAME *issuer = X509_CRL_get_issuer(self->crl);
    CRYPTO_METHOD_STATE(self, st);
    if (issuer == NULL)
        return CRYPTO_RAISE(st);
    return crypto_x509name_copy(st, issuer);
}

PyDoc_STRVAR(crl_set_version_doc,
"set_version($self, /, version)\n--\n\n"
"Set the CRL version (zero-based: 1 is a v2 CRL).\n\n"
":raises TypeError: if version is not an int.\n"
":raises Error: if OpenSSL rejects it.");

static PyObject *
crl_set_version(CRLObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"version", NULL};
    long version;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:set_version", kwlist,
                                     pyossl_long_converter, &version))
        return NULL;
    if (X509_CRL_set_version(self->crl, version) != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

/* set_lastUpdate / set_nextUpdate */
static PyObject *
set_update(CRLObject *self, PyObject *args, PyObject *kwargs, int last)
{
    static char *kwlist[] = {"when", NULL};
    PyObject *when;
    ASN1_TIME *t;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(
            args, kwargs, last ? "O:set_lastUpdate" : "O:set_nextUpdate",
            kwlist, &when))
        return NULL;
    t = crypto_asn1_time_from_bytes(st, when);
    if (t == NULL)
        return NULL;
    rc = last ? X509_CRL_set1_lastUpdate(self->crl, t)
              : X509_CRL_set1_nextUpdate(self->crl, t);
    ASN1_TIME_free(t);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(crl_set_lastUpdate_doc,
"set_lastUpdate($self, /, when)\n--\n\n"
"Set when the CRL was last updated: bytes of the form YYYYMMDDhhmmssZ.\n\n"
":raises TypeError: if when is not bytes.\n"
":raises ValueError: if when is not a valid time ('Invalid string').");

static PyObject *
crl_set_lastUpdate(CRLObject *self, PyObject *args, PyObject *kwargs)
{
    return set_update(self, args, kwargs, 1);
}

PyDoc_STRVAR(crl_set_nextUpdate_doc,
"set_nextUpdate($self, /, when)\n--\n\n"
"Set when the CRL will next be updated; see set_lastUpdate().");

static PyObject *
crl_set_nextUpdate(CRLObject *self, PyObject *args, PyObject *kwargs)
{
    return set_update(self, args, kwargs, 0);
}

/* ------------------------------------------------------------------------
 * Signing and export
 * --------------------------------------------------------------------- */

/* Set the issuer from `cert` and sign with `pkey` and `md` (NULL for
 * Ed25519/Ed448). 0 or -1 with Error. */
static int
sign_crl(crypto_state *st, X509_CRL *crl, X509 *cert, EVP_PKEY *pkey,
         const EVP_MD *md, int sort)
{
    if (X509_CRL_set_issuer_name(crl, X509_get_subject_name(cert)) != 1)
        return CRYPTO_RAISE_INT(st);
    if (sort && X509_CRL_sort(crl) != 1)
        return CRYPTO_RAISE_INT(st);
    if (X509_CRL_sign(crl, pkey, md) <= 0)
        return CRYPTO_RAISE_INT(st);
    return 0;
}

PyDoc_STRVAR(crl_sign_doc,
"sign($self, /, issuer_cert, issuer_key, digest)\n--\n\n"
"Sign the CRL with issuer_key and the digest named digest (such as\n"
"b'sha256'), after setting its issuer name to issuer_cert's subject and\n"
"sorting the entries by serial number.\n\n"
":raises ValueError: for an unknown digest (the exception is also a\n"
"    crypto.Error, which pyOpenSSL 23 raised).\n"
":raises Error: if OpenSSL cannot sign (a key without a private part, a\n"
"    key that does not fit the digest, ...).");

static PyObject *
crl_sign(CRLObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"issuer_cert", "issuer_key", "digest", NULL};
    PyObject *cert_obj, *key_obj, *digest;
    const EVP_MD *md;
    EVP_PKEY *pkey;
    X509 *cert;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO:sign", kwlist,
                                     &cert_obj, &key_obj, &digest))
        return NULL;
    cert = crypto_x509_ptr(st, cert_obj, "issuer_cert");
    if (cert == NULL)
        return NULL;
    pkey = crypto_pkey_ptr(st, key_obj, "issuer_key");
    if (pkey == NULL)
        return NULL;
    if (crypto_signing_digest(pkey, digest, &md) < 0) {
        /* pyOpenSSL 23 raised Error([]) here, 2.1 of the spec ValueError:
         * the exception is both. */
        if (PyErr_ExceptionMatches(PyExc_ValueError)) {
            PyErr_Clear();
            PyErr_SetString(st->ErrorValueError, "No such digest method");
        }
        return NULL;
    }
    if (sign_crl(st, self->crl, cert, pkey, md, 1) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(crl_export_doc,
"export($self, /, cert, key, type=1, days=100, digest=None)\n--\n\n"
"Sign the CRL and return it as bytes in the file type type: FILETYPE_PEM\n"
"(1, the default), FILETYPE_ASN1 or FILETYPE_TEXT.\n\n"
"lastUpdate becomes now and nextUpdate now plus days days; the issuer\n"
"name is copied from cert's subject; the CRL is signed with key and the\n"
"digest named digest (bytes such as b'sha256'). Without a digest (or with\n"
"None) the CRL is signed with md5 and a DeprecationWarning is emitted.\n\n"
":raises TypeError: if cert is not an X509, key not a PKey, or type or\n"
"    days not an int.\n"
":raises ValueError: for an unknown type or digest.\n"
":raises Error: if signing fails.");

static PyObject *
crl_export(CRLObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cert", "key", "type", "days", "digest", NULL};
    PyObject *cert_obj, *key_obj, *type_obj = NULL, *digest = Py_None;
    long type = CRYPTO_FILETYPE_PEM, days = 100;
    const EVP_MD *md;
    EVP_PKEY *pkey;
    ASN1_TIME *now;
    X509 *cert;
    int ok;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|OO&O:export", kwlist,
                                     &cert_obj, &key_obj, &type_obj,
                                     pyossl_long_converter, &days, &digest))
        return NULL;
    if (!PyObject_TypeCheck(cert_obj, st->X509_Type)) {
        PyErr_SetString(PyExc_TypeError, "cert must be an X509 instance");
        return NULL;
    }
    if (!PyObject_TypeCheck(key_obj, st->PKey_Type)) {
        PyErr_SetString(PyExc_TypeError, "key must be a PKey instance");
        return NULL;
    }
    if (type_obj != NULL) {
        if (!PyLong_Check(type_obj)) {
            PyErr_SetString(PyExc_TypeError, "type must be an integer");
            return NULL;
        }
        /* Checked before the CRL is touched (pyOpenSSL found out only when
         * dumping, after signing). */
        type = crypto_filetype_of(type_obj);
        if (crypto_filetype_check(type, 1) < 0)
            return NULL;
    }
    /* The warning may run Python code (a warnings.showwarning hook) that
     * calls key.generate_key(), which frees the EVP_PKEY the key held:
     * read the pointers only once no more Python code runs. */
    if (digest == Py_None &&
        PyErr_WarnEx(PyExc_DeprecationWarning,
                     "The default message digest (md5) is deprecated.  "
                     "Pass the name of a message digest explicitly.",
                     1) < 0)
        return NULL;
    cert = ((X509Object *)cert_obj)->x509;
    pkey = ((PKeyObject *)key_obj)->pkey;
    if (digest == Py_None) {
        md = EVP_md5();
        if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519 ||
            EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED448)
            md = NULL;
    }
    else if (crypto_signing_digest(pkey, digest, &md) < 0)
        return NULL;
    if (days > LONG_MAX / (24 * 60 * 60) || days < LONG_MIN / (24 * 60 * 60)) {
        PyErr_SetString(PyExc_OverflowError, "days is too large");
        return NULL;
    }

    /* One scratch time for both fields (they are copied). */
    now = ASN1_TIME_new();
    if (now == NULL)
        return CRYPTO_RAISE(st);
    ok = X509_gmtime_adj(now, 0) != NULL &&
         X509_CRL_set1_lastUpdate(self->crl, now) == 1 &&
         X509_gmtime_adj(now, days * 24 * 60 * 60) != NULL &&
         X509_CRL_set1_nextUpdate(self->crl, now) == 1;
    ASN1_TIME_free(now);
    if (!ok)
        return CRYPTO_RAISE(st);
    if (sign_crl(st, self->crl, cert, pkey, md, 0) < 0)
        return NULL;
    return crypto_dump_object(st, type, write_crl, self->crl);
}

/* ------------------------------------------------------------------------
 * cryptography interop and private attributes
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(crl_to_cryptography_doc,
"to_cryptography($self, /)\n--\n\n"
"Export as a ``cryptography`` CertificateRevocationList (an independent\n"
"copy).");

static PyObject *
crl_to_cryptography(CRLObject *self, PyObject *Py_UNUSED(ignored))
{
    unsigned char *der = NULL;
    int len;
    CRYPTO_METHOD_STATE(self, st);

    len = i2d_X509_CRL(self->crl, &der);
    return crypto_der_to_cryptography(st, der, len, "load_der_x509_crl");
}

PyDoc_STRVAR(crl_from_cryptography_doc,
"from_cryptography($type, /, crypto_crl)\n--\n\n"
"Construct based on a ``cryptography`` CertificateRevocationList (an\n"
"independent copy).\n\n"
":raises TypeError: if crypto_crl is not one.");

static PyObject *
crl_from_cryptography(PyTypeObject *cls, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"crypto_crl", NULL};
    PyObject *obj, *der;
    X509_CRL *crl;
    crypto_state *st = crypto_state_of_type(cls);

    if (st == NULL)
        return NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:from_cryptography",
                                     kwlist, &obj))
        return NULL;
    der = crypto_cryptography_der_of(obj, "CertificateRevocationList",
                                     PyExc_TypeError,
                                     "Must be a certificate revocation list",
                                     0);
    if (der == NULL)
        return NULL;
    crl = crl_from_der(st, der);
    Py_DECREF(der);
    if (crl == NULL)
        return NULL;
    return crl_wrap_type(cls, crl);
}

static PyObject *
crl_get_crl(CRLObject *self, void *Py_UNUSED(closure))
{
    return PyCapsule_New(self->crl, "OpenSSL.crypto.CRL._crl", NULL);
}

static PyGetSetDef crl_getset[] = {
    {"_crl", (getter)crl_get_crl, NULL,
     "The X509_CRL* as a PyCapsule (not a cffi pointer).", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))crl_##name, \
     METH_VARARGS | METH_KEYWORDS, crl_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)crl_##name, METH_NOARGS, crl_##name##_doc}

static PyMethodDef crl_methods[] = {
    METH_NO(get_revoked),
    METH_KW(add_revoked),
    METH_NO(get_issuer),
    METH_KW(set_version),
    METH_KW(set_lastUpdate),
    METH_KW(set_nextUpdate),
    METH_KW(sign),
    METH_KW(export),
    METH_NO(to_cryptography),
    {"from_cryptography", (PyCFunction)(void (*)(void))crl_from_cryptography,
     METH_VARARGS | METH_KEYWORDS | METH_CLASS, crl_from_cryptography_doc},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef crl_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(CRLObject, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(crl_doc,
"CRL()\n--\n\n"
"A certificate revocation list. CRL() creates an empty one.");

static PyType_Slot crl_slots[] = {
    {Py_tp_doc, (void *)crl_doc},
    {Py_tp_new, crl_new},
    {Py_tp_init, crl_init},
    {Py_tp_dealloc, crl_dealloc},
    {Py_tp_methods, crl_methods},
    {Py_tp_members, crl_members},
    {Py_tp_getset, crl_getset},
    {0, NULL}
};

static PyType_Spec crl_spec = {
    .name = "OpenSSL.crypto.CRL",
    .basicsize = sizeof(CRLObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = crl_slots,
};

int
crypto_crl_register(PyObject *module, crypto_state *st)
{
    st->CRL_Type = (PyTypeObject *)PyType_FromModuleAndSpec(module,
                                                            &crl_spec, NULL);
    if (st->CRL_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "CRL", (PyObject *)st->CRL_Type);
}

/* ------------------------------------------------------------------------
 * load_crl / dump_crl
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(load_crl_doc,
"load_crl(type, buffer)\n--\n\n"
"Load a certificate revocation list (CRL) from the string *buffer*\n"
"encoded with the type *type* (FILETYPE_PEM or FILETYPE_ASN1).\n\n"
":raises ValueError: for any other type.\n"
":raises Error: if the buffer does not hold a CRL.");

static void *
read_crl(BIO *bio, long type, void *Py_UNUSED(arg))
{
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_read_bio_X509_CRL(bio, NULL, pyossl_passphrase_cb, NULL);
    return d2i_X509_CRL_bio(bio, NULL);
}

static PyObject *
load_crl(PyObject *module, PyObject *args, PyObject *kwargs)
{
    crypto_state *st = PyModule_GetState(module);
    X509_CRL *crl = crypto_load(st, args, kwargs, "OO:load_crl", read_crl);

    if (crl == NULL)
        return NULL;
    /* OpenSSL accepts a CRL whose extensions do not decode (it marks it
     * invalid for verification) and leaves the decoding errors behind. */
    pyossl_clear_errors();
    return crl_wrap_type(st->CRL_Type, crl);
}

PyDoc_STRVAR(dump_crl_doc,
"dump_crl(type, crl)\n--\n\n"
"Dump the CRL *crl* into bytes: PEM, DER (FILETYPE_ASN1) or OpenSSL's\n"
"text form (FILETYPE_TEXT, exactly what `openssl crl -text -nameopt\n"
"compat` prints).\n\n"
":raises ValueError: for any other type.\n"
":raises Error: if OpenSSL cannot encode the CRL (an unsigned one, for\n"
"    example).");

static PyObject *
dump_crl(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", "crl", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *type_obj, *crl_obj;
    X509_CRL *crl;
    long type;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:dump_crl", kwlist,
                                     &type_obj, &crl_obj))
        return NULL;
    type = crypto_filetype_of(type_obj);
    if (crypto_filetype_check(type, 1) < 0)
        return NULL;
    crl = crypto_crl_ptr(st, crl_obj);
    if (crl == NULL)
        return NULL;
    return crypto_dump_object(st, type, write_crl, crl);
}

#define FUNC(name) \
    {#name, (PyCFunction)(void (*)(void))name, \
     METH_VARARGS | METH_KEYWORDS, name##_doc}

PyMethodDef crypto_crl_methods[] = {
    FUNC(load_crl),
    FUNC(dump_crl),
    {NULL, NULL, 0, NULL}
};
