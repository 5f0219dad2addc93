/*
 * pkey.c -- OpenSSL.crypto.PKey, a public or private key (an EVP_PKEY).
 */
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>

/* ------------------------------------------------------------------------
 * Construction and access
 * --------------------------------------------------------------------- */

/* A new instance of `type` (PKey or a subclass) owning `pkey`; the
 * reference is consumed even on failure. */
static PyObject *
pkey_wrap_type(PyTypeObject *type, EVP_PKEY *pkey, int only_public)
{
    PKeyObject *self = (PKeyObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    self->pkey = pkey;
    self->only_public = only_public;
    self->initialized = 1;
    return (PyObject *)self;
}

PyObject *
crypto_pkey_wrap(crypto_state *st, EVP_PKEY *pkey, int only_public)
{
    return pkey_wrap_type(st->PKey_Type, pkey, only_public);
}

PyObject *
crypto_pkey_from_ptr(crypto_state *st, EVP_PKEY *pkey, int only_public)
{
    if (!EVP_PKEY_up_ref(pkey))
        return CRYPTO_RAISE(st);
    return crypto_pkey_wrap(st, pkey, only_public);
}

EVP_PKEY *
crypto_pkey_public_copy(crypto_state *st, const EVP_PKEY *pkey)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    EVP_PKEY *copy = NULL;
    int len = pkey != NULL ? i2d_PUBKEY(pkey, &der) : -1;

    if (len > 0) {
        p = der;
        copy = d2i_PUBKEY(NULL, &p, len);
    }
    OPENSSL_free(der);
    if (copy == NULL)
        CRYPTO_RAISE(st);
    return copy;
}

EVP_PKEY *
crypto_pkey_ptr(crypto_state *st, PyObject *obj, const char *what)
{
    if (!PyObject_TypeCheck(obj, st->PKey_Type)) {
        PyErr_Format(st->TypeAttributeError, "%s must be a PKey instance",
                     what);
        return NULL;
    }
    return ((PKeyObject *)obj)->pkey;
}

EVP_PKEY *
crypto_pubkey_arg(crypto_state *st, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"pkey", NULL};
    PyObject *obj;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_pubkey", kwlist,
                                     &obj))
        return NULL;
    return crypto_pkey_ptr(st, obj, "pkey");
}

int
crypto_signing_digest(EVP_PKEY *pkey, PyObject *name, const EVP_MD **md)
{
    int id = EVP_PKEY_get_base_id(pkey);
    *md = pyossl_digest_by_name(name);
    if (*md == NULL)
        return -1;
    if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448)
        *md = NULL;
    return 0;
}

int
crypto_sign_args(crypto_state *st, PyObject *args, PyObject *kwargs,
                 const char *public_only, EVP_PKEY **pkey,
                 const EVP_MD **md)
{
    static char *kwlist[] = {"pkey", "digest", NULL};
    PyObject *pkey_obj, *digest;
    PKeyObject *key;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:sign", kwlist,
                                     &pkey_obj, &digest))
        return -1;
    if (crypto_pkey_ptr(st, pkey_obj, "pkey") == NULL)
        return -1;
    key = (PKeyObject *)pkey_obj;
    if (key->only_public) {
        PyErr_SetString(PyExc_ValueError, public_only);
        return -1;
    }
    if (!key->initialized) {
        PyErr_SetString(PyExc_ValueError, "Key is uninitialized");
        return -1;
    }
    *pkey = key->pkey;
    return crypto_signing_digest(key->pkey, digest, md);
}

/* tp_new ignores its arguments and tp_init checks them, so that a subclass
 * may give its __init__ another signature. */
static PyObject *
pkey_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
         PyObject *Py_UNUSED(kwargs))
{
    PKeyObject *self;

    self = (PKeyObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->pkey = EVP_PKEY_new();
    if (self->pkey == NULL) {
        crypto_state *st = crypto_state_of_type(type);
        Py_DECREF(self);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    self->only_public = 0;
    self->initialized = 0;
    return (PyObject *)self;
}

PYOSSL_NO_ARGUMENTS_INIT(pkey_init, "PKey")

static void
pkey_dealloc(PKeyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    EVP_PKEY_free(self->pkey);     /* NULL-safe */
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Key generation (GIL released)
 * --------------------------------------------------------------------- */

/* Generate RSA (exponent 65537) or DSA keys. Returns a new EVP_PKEY or NULL
 * with the OpenSSL error queue set. Runs without the GIL. */
static EVP_PKEY *
generate_rsa(int bits)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    EVP_PKEY *pkey = NULL;

    if (ctx == NULL)
        return NULL;
    if (EVP_PKEY_keygen_init(ctx) <= 0 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) <= 0 ||
        EVP_PKEY_keygen(ctx, &pkey) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

static EVP_PKEY *
generate_dsa(int bits)
{
    /* pyOpenSSL called DSA_generate_parameters_ex(), which uses FIPS 186-2
     * parameter generation with a 160-bit q below 2048 bits, and FIPS 186-4
     * with a 256-bit q from there on (the provider's own default would be
     * 224). Ask the provider for the same thing, for the parameters and for
     * the key (whose generation checks the sizes against the type). */
    EVP_PKEY_CTX *pctx = NULL, *kctx = NULL;
    EVP_PKEY *params = NULL, *pkey = NULL;
    OSSL_PARAM p[4], *q = p + 2;
    size_t pbits = (size_t)bits, qbits = bits < 2048 ? 160 : 256;
    char type186_2[] = "fips186_2", type186_4[] = "fips186_4";

    p[0] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_FFC_PBITS, &pbits);
    p[1] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_FFC_QBITS, &qbits);
    p[2] = OSSL_PARAM_construct_utf8_string(
        OSSL_PKEY_PARAM_FFC_TYPE, bits < 2048 ? type186_2 : type186_4, 0);
    p[3] = OSSL_PARAM_construct_end();

    pctx = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
    if (pctx == NULL ||
        EVP_PKEY_paramgen_init(pctx) <= 0 ||
        EVP_PKEY_CTX_set_params(pctx, p) <= 0 ||
        EVP_PKEY_paramgen(pctx, &params) <= 0)
        goto done;
    kctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
    if (kctx == NULL ||
        EVP_PKEY_keygen_init(kctx) <= 0 ||
        EVP_PKEY_CTX_set_params(kctx, q) <= 0 ||
        EVP_PKEY_keygen(kctx, &pkey) <= 0)
        pkey = NULL;
done:
    EVP_PKEY_CTX_free(kctx);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(params);
    return pkey;
}

PyDoc_STRVAR(pkey_generate_key_doc,
"generate_key($self, /, type, bits)\n--\n\n"
"Generate a key pair of the given type, with the given number of bits.\n\n"
"This generates a key \"into\" this object. type is TYPE_RSA (public\n"
"exponent 65537) or TYPE_DSA. The GIL is released while the key is\n"
"generated.\n\n"
":raises TypeError: if type or bits isn't an int.\n"
":raises ValueError: if the number of bits isn't positive (RSA).\n"
":raises Error: for an unknown type ('No such key type') or if OpenSSL\n"
"    refuses the size.");

static PyObject *
pkey_generate_key(PKeyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", "bits", NULL};
    PyObject *type_obj, *bits_obj;
    long type, bits;
    EVP_PKEY *pkey;
    crypto_state *st = crypto_state_of((PyObject *)self);

    if (st == NULL)
        return NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:generate_key", kwlist,
                                     &type_obj, &bits_obj))
        return NULL;
    if (!PyLong_Check(type_obj)) {
        PyErr_SetString(PyExc_TypeError, "type must be an integer");
        return NULL;
    }
    if (!PyLong_Check(bits_obj)) {
        PyErr_SetString(PyExc_TypeError, "bits must be an integer");
        return NULL;
    }
    type = PyLong_AsLong(type_obj);
    if (type == -1 && PyErr_Occurred())
        return NULL;
    bits = PyLong_AsLong(bits_obj);
    if (bits == -1 && PyErr_Occurred())
        return NULL;

    if (type != EVP_PKEY_RSA && type != EVP_PKEY_DSA) {
        pyossl_clear_errors();
        PyErr_SetString(st->Error, "No such key type");
        return NULL;
    }
    if (type == EVP_PKEY_RSA && bits <= 0) {
        PyErr_SetString(PyExc_ValueError, "Invalid number of bits");
        return NULL;
    }
    if (bits > INT_MAX || bits < INT_MIN) {
        /* pyOpenSSL hands bits to OpenSSL as a C int. */
        PyErr_Format(PyExc_OverflowError,
                     "integer %ld does not fit '32-bit int'", bits);
        return NULL;
    }
    if (bits <= 0) {
        /* DSA: pyOpenSSL lets OpenSSL refuse the size, with Error. */
        ERR_raise_data(ERR_LIB_DSA, DSA_R_INVALID_PARAMETERS,
                       "invalid number of bits: %ld", bits);
        return CRYPTO_RAISE(st);
    }

    Py_BEGIN_ALLOW_THREADS
    pkey = type == EVP_PKEY_RSA ? generate_rsa((int)bits)
                                : generate_dsa((int)bits);
    Py_END_ALLOW_THREADS

    if (pkey == NULL)
        return CRYPTO_RAISE(st);
    EVP_PKEY_free(self->pkey);
    self->pkey = pkey;
    self->only_public = 0;
    self->initialized = 1;
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * Inspection
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(pkey_bits_doc,
"bits($self, /)\n--\n\n"
"Returns the number of bits of the key.");

static PyObject *
pkey_bits(PKeyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(EVP_PKEY_get_bits(self->pkey));
}

PyDoc_STRVAR(pkey_type_doc,
"type($self, /)\n--\n\n"
"Returns the type of the key: TYPE_RSA (6), TYPE_DSA (116), TYPE_EC (408),\n"
"TYPE_DH (28) or another OpenSSL key type id.");

static PyObject *
pkey_type(PKeyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(EVP_PKEY_get_id(self->pkey));
}

PyDoc_STRVAR(pkey_check_doc,
"check($self, /)\n--\n\n"
"Check the consistency of an RSA private key (OpenSSL's RSA key check).\n\n"
":return: True if the key is consistent.\n"
":raises Error: if the key is inconsistent.\n"
":raises TypeError: for a public-only key or a key that is not RSA.");

static PyObject *
pkey_check(PKeyObject *self, PyObject *Py_UNUSED(ignored))
{
    crypto_state *st = crypto_state_of((PyObject *)self);
    EVP_PKEY_CTX *ctx;
    int rc;

    if (st == NULL)
        return NULL;
    if (self->only_public) {
        PyErr_SetString(PyExc_TypeError, "public key only");
        return NULL;
    }
    if (EVP_PKEY_get_base_id(self->pkey) != EVP_PKEY_RSA) {
        PyErr_SetString(PyExc_TypeError,
                        "Only RSA keys can currently be checked.");
        return NULL;
    }
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, self->pkey, NULL);
    if (ctx == NULL)
        return CRYPTO_RAISE(st);
    rc = EVP_PKEY_check(ctx);
    EVP_PKEY_CTX_free(ctx);
    if (rc != 1) {
        /* An inconsistent key may leave nothing on the queue: make sure
         * Error still says why. */
        if (ERR_peek_error() == 0)
            ERR_raise_data(ERR_LIB_RSA, ERR_R_RSA_LIB, "key check failed");
        return CRYPTO_RAISE(st);
    }
    Py_RETURN_TRUE;
}

/* ------------------------------------------------------------------------
 * cryptography interop
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(pkey_to_cryptography_key_doc,
"to_cryptography_key($self, /)\n--\n\n"
"Export as a ``cryptography`` key (a public key for a public-only PKey).\n\n"
"Needs the optional ``cryptography`` package.");

static PyObject *
pkey_to_cryptography_key(PKeyObject *self, PyObject *Py_UNUSED(ignored))
{
    crypto_state *st = crypto_state_of((PyObject *)self);
    PyObject *der, *ser, *result;
    unsigned char *buf = NULL;
    int len;

    if (st == NULL)
        return NULL;
    ser = crypto_import_cryptography(
        "cryptography.hazmat.primitives.serialization");
    if (ser == NULL)
        return NULL;
    if (self->only_public) {
        len = i2d_PUBKEY(self->pkey, &buf);
        der = pyossl_take_openssl_buffer(buf, len, st->Error);
        result = der ? PyObject_CallMethod(ser, "load_der_public_key", "O",
                                           der) : NULL;
    } else {
        /* PKCS#8 carries every key type cryptography knows. */
        PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(self->pkey);
        if (p8 == NULL) {
            Py_DECREF(ser);
            return CRYPTO_RAISE(st);
        }
        len = i2d_PKCS8_PRIV_KEY_INFO(p8, &buf);
        PKCS8_PRIV_KEY_INFO_free(p8);
        der = pyossl_take_openssl_buffer(buf, len, st->Error);
        result = der ? PyObject_CallMethod(ser, "load_der_private_key", "OO",
                                           der, Py_None) : NULL;
    }
    Py_XDECREF(der);
    Py_DECREF(ser);
    return result;
}

/* Is `obj` one of cryptography's RSA/DSA/EC/Ed25519/Ed448 keys?
 * Sets *is_private. 1, 0 or -1. */
static int
classify_cryptography_key(PyObject *obj, int *is_private)
{
    static const struct { const char *module, *name; int priv; } kinds[] = {
        {"cryptography.hazmat.primitives.asymmetric.rsa", "RSAPrivateKey", 1},
        {"cryptography.hazmat.primitives.asymmetric.rsa", "RSAPublicKey", 0},
        {"cryptography.hazmat.primitives.asymmetric.dsa", "DSAPrivateKey", 1},
        {"cryptography.hazmat.primitives.asymmetric.dsa", "DSAPublicKey", 0},
        {"cryptography.hazmat.primitives.asymmetric.ec",
         "EllipticCurvePrivateKey", 1},
        {"cryptography.hazmat.primitives.asymmetric.ec",
         "EllipticCurvePublicKey", 0},
        {"cryptography.hazmat.primitives.asymmetric.ed25519",
         "Ed25519PrivateKey", 1},
        {"cryptography.hazmat.primitives.asymmetric.ed25519",
         "Ed25519PublicKey", 0},
        {"cryptography.hazmat.primitives.asymmetric.ed448",
         "Ed448PrivateKey", 1},
        {"cryptography.hazmat.primitives.asymmetric.ed448",
         "Ed448PublicKey", 0},
    };
    size_t i;
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        int rc = crypto_is_cryptography_instance(obj, kinds[i].module,
                                                 kinds[i].name);
        if (rc != 0) {
            if (rc > 0)
                *is_private = kinds[i].priv;
            return rc;
        }
    }
    return 0;
}

/* DER of a cryptography key: PKCS#8 for private keys, SubjectPublicKeyInfo
 * for public ones. New bytes reference. */
static PyObject *
cryptography_key_der(PyObject *key, int is_private)
{
    PyObject *ser, *der = NULL;
    PyObject *enc = NULL, *fmt = NULL, *noenc = NULL;

    ser = crypto_import_cryptography(
        "cryptography.hazmat.primitives.serialization");
    if (ser == NULL)
        return NULL;
    enc = PyObject_GetAttrString(ser, "Encoding");
    if (enc == NULL)
        goto done;
    Py_SETREF(enc, PyObject_GetAttrString(enc, "DER"));
    if (enc == NULL)
        goto done;
    if (is_private) {
        fmt = PyObject_GetAttrString(ser, "PrivateFormat");
        if (fmt == NULL)
            goto done;
        Py_SETREF(fmt, PyObject_GetAttrString(fmt, "PKCS8"));
        if (fmt == NULL)
            goto done;
        noenc = PyObject_CallMethod(ser, "NoEncryption", NULL);
        if (noenc == NULL)
            goto done;
        der = PyObject_CallMethod(key, "private_bytes", "OOO", enc, fmt,
                                  noenc);
    } else {
        fmt = PyObject_GetAttrString(ser, "PublicFormat");
        if (fmt == NULL)
            goto done;
        Py_SETREF(fmt, PyObject_GetAttrString(fmt, "SubjectPublicKeyInfo"));
        if (fmt == NULL)
            goto done;
        der = PyObject_CallMethod(key, "public_bytes", "OO", enc, fmt);
    }
    if (der != NULL && !PyBytes_Check(der)) {
        Py_CLEAR(der);
        PyErr_SetString(PyExc_TypeError, "key serialisation did not give "
                        "bytes");
    }
done:
    Py_XDECREF(noenc);
    Py_XDECREF(fmt);
    Py_XDECREF(enc);
    Py_DECREF(ser);
    return der;
}

/* Convert a cryptography key through DER. Returns 1 with *out set (a new
 * reference), 0 if `obj` is not a key type we support, -1 on error. */
static int
cryptography_key_to_evp(crypto_state *st, PyObject *obj, EVP_PKEY **out,
                        int *is_private)
{
    PyObject *der;
    const unsigned char *p;
    int rc = classify_cryptography_key(obj, is_private);

    if (rc <= 0)
        return rc;
    der = cryptography_key_der(obj, *is_private);
    if (der == NULL)
        return -1;
    p = (const unsigned char *)PyBytes_AS_STRING(der);
    if (*is_private)
        *out = d2i_AutoPrivateKey(NULL, &p, (long)PyBytes_GET_SIZE(der));
    else
        *out = d2i_PUBKEY(NULL, &p, (long)PyBytes_GET_SIZE(der));
    Py_DECREF(der);
    if (*out == NULL)
        return CRYPTO_RAISE_INT(st);
    return 1;
}

EVP_PKEY *
crypto_pkey_from_any(crypto_state *st, PyObject *obj, int private_only)
{
    int is_private = 0, rc;
    EVP_PKEY *pkey = NULL;

    if (PyObject_TypeCheck(obj, st->PKey_Type)) {
        pkey = ((PKeyObject *)obj)->pkey;
        if (!EVP_PKEY_up_ref(pkey))
            return (EVP_PKEY *)CRYPTO_RAISE(st);
        return pkey;
    }
    rc = cryptography_key_to_evp(st, obj, &pkey, &is_private);
    if (rc < 0)
        return NULL;
    if (rc == 0 || (private_only && !is_private)) {
        EVP_PKEY_free(pkey);
        PyErr_SetString(PyExc_TypeError, "Unsupported key type");
        return NULL;
    }
    return pkey;
}

PyDoc_STRVAR(pkey_from_cryptography_key_doc,
"from_cryptography_key($type, /, crypto_key)\n--\n\n"
"Construct based on a ``cryptography`` *crypto_key*: an RSA, DSA, EC,\n"
"Ed25519 or Ed448 public or private key.\n\n"
":raises TypeError: if the key type is not supported.");

static PyObject *
pkey_from_cryptography_key(PyTypeObject *cls, PyObject *args,
                           PyObject *kwargs)
{
    static char *kwlist[] = {"crypto_key", NULL};
    PyObject *key;
    int is_private = 0, rc;
    crypto_state *st = crypto_state_of_type(cls);
    EVP_PKEY *pkey = NULL;

    if (st == NULL)
        return NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:from_cryptography_key",
                                     kwlist, &key))
        return NULL;
    rc = cryptography_key_to_evp(st, key, &pkey, &is_private);
    if (rc < 0)
        return NULL;
    if (rc == 0) {
        if (crypto_require_cryptography() == 0)
            PyErr_SetString(PyExc_TypeError, "Unsupported key type");
        return NULL;
    }
    return pkey_wrap_type(cls, pkey, !is_private);
}

PyDoc_STRVAR(pkey_copy_doc,
"__copy__($self, /)\n--\n\n"
"copy.copy() support: a PKey holding the same key (keys are not changed\n"
"in place, generate_key() replaces them). Not picklable, as in\n"
"pyOpenSSL.");

static PyObject *
pkey_copy(PKeyObject *self, PyObject *Py_UNUSED(ignored))
{
    crypto_state *st = crypto_state_of((PyObject *)self);
    PKeyObject *copy;

    if (st == NULL)
        return NULL;
    if (!EVP_PKEY_up_ref(self->pkey))
        return CRYPTO_RAISE(st);
    copy = (PKeyObject *)pkey_wrap_type(Py_TYPE(self), self->pkey,
                                        self->only_public);
    if (copy != NULL)
        copy->initialized = self->initialized;
    return crypto_copy_finish((PyObject *)self, (PyObject *)copy);
}

/* ------------------------------------------------------------------------
 * Private attributes
 * --------------------------------------------------------------------- */

static PyObject *
pkey_get_pkey(PKeyObject *self, void *Py_UNUSED(closure))
{
    return PyCapsule_New(self->pkey, "OpenSSL.crypto.PKey._pkey", NULL);
}

static PyObject *
pkey_get_only_public(PKeyObject *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->only_public);
}

static PyObject *
pkey_get_initialized(PKeyObject *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->initialized);
}

static PyGetSetDef pkey_getset[] = {
    {"_pkey", (getter)pkey_get_pkey, NULL,
     "The EVP_PKEY* as a PyCapsule (not a cffi pointer).", NULL},
    {"_only_public", (getter)pkey_get_only_public, NULL, NULL, NULL},
    {"_initialized", (getter)pkey_get_initialized, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyMethodDef pkey_methods[] = {
    {"generate_key", (PyCFunction)(void (*)(void))pkey_generate_key,
     METH_VARARGS | METH_KEYWORDS, pkey_generate_key_doc},
    {"bits", (PyCFunction)pkey_bits, METH_NOARGS, pkey_bits_doc},
    {"type", (PyCFunction)pkey_type, METH_NOARGS, pkey_type_doc},
    {"check", (PyCFunction)pkey_check, METH_NOARGS, pkey_check_doc},
    {"to_cryptography_key", (PyCFunction)pkey_to_cryptography_key,
     METH_NOARGS, pkey_to_cryptography_key_doc},
    {"from_cryptography_key",
     (PyCFunction)(void (*)(void))pkey_from_cryptography_key,
     METH_VARARGS | METH_KEYWORDS | METH_CLASS,
     pkey_from_cryptography_key_doc},
    {"__copy__", (PyCFunction)pkey_copy, METH_NOARGS, pkey_copy_doc},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef pkey_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(PKeyObject, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(pkey_doc,
"PKey()\n--\n\n"
"A class representing a public or private key (any type OpenSSL knows).\n\n"
"A bare PKey() is uninitialized until generate_key() is called.");

static PyType_Slot pkey_slots[] = {
    {Py_tp_doc, (void *)pkey_doc},
    {Py_tp_new, pkey_new},
    {Py_tp_init, pkey_init},
    {Py_tp_dealloc, pkey_dealloc},
    {Py_tp_methods, pkey_methods},
    {Py_tp_members, pkey_members},
    {Py_tp_getset, pkey_getset},
    {0, NULL}
};

static PyType_Spec pkey_spec = {
    .name = "OpenSSL.crypto.PKey",
    .basicsize = sizeof(PKeyObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = pkey_slots,
};

int
crypto_pkey_register(PyObject *module, crypto_state *st)
{
    st->PKey_Type = (PyTypeObject *)PyType_FromModuleAndSpec(module,
                                                             &pkey_spec,
                                                             NULL);
    if (st->PKey_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "PKey", (PyObject *)st->PKey_Type);
}
