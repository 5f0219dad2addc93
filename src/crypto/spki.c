/*
 * spki.c -- OpenSSL.crypto.NetscapeSPKI, a Netscape SPKAC (signed public
 * key and challenge), as produced by <keygen> and `openssl spkac`.
 *
 * NetscapeSPKI(enc=None) takes 0.13's optional base64 argument (API.md 3.2
 * row 30); verify() returns True or raises Error, never a falsy value
 * (section 4.2).
 */
#include "crypto.h"

/* ------------------------------------------------------------------------
 * Construction
 * --------------------------------------------------------------------- */

/* Decode a base64 SPKAC; NULL with Error if it does not decode. */
static NETSCAPE_SPKI *
spki_decode(crypto_state *st, PyObject *enc)
{
    pyossl_bytes b;
    NETSCAPE_SPKI *spki;

    /* The same rules as the buffer of the load_* functions. */
    if (crypto_load_buffer(enc, "enc", &b) < 0)
        return NULL;
    /* A length of 0 makes NETSCAPE_SPKI_b64_decode() read up to a NUL,
     * which a buffer need not have: give it an empty C string then. */
    spki = NETSCAPE_SPKI_b64_decode(b.len > 0 ? b.data : "", (int)b.len);
    pyossl_bytes_release(&b);
    if (spki == NULL) {
        if (ERR_peek_error() == 0) {
            PyErr_SetString(st->Error, "enc is not a base64-encoded SPKAC");
            return NULL;
        }
        return (NETSCAPE_SPKI *)CRYPTO_RAISE(st);
    }
    return spki;
}

/* tp_new makes an empty SPKI and ignores its arguments; tp_init decodes
 * `enc`, so that a subclass may give its __init__ another signature. */
static PyObject *
spki_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
         PyObject *Py_UNUSED(kwargs))
{
    NetscapeSPKIObject *self;
    NETSCAPE_SPKI *spki = NETSCAPE_SPKI_new();

    if (spki == NULL) {
        crypto_state *st = crypto_state_of_type(type);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    self = (NetscapeSPKIObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        NETSCAPE_SPKI_free(spki);
        return NULL;
    }
    self->spki = spki;
    return (PyObject *)self;
}

static int
spki_init(NetscapeSPKIObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"enc", NULL};
    crypto_state *st = crypto_state_of((PyObject *)self);
    PyObject *enc = Py_None;
    NETSCAPE_SPKI *spki;

    if (st == NULL)
        return -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O:NetscapeSPKI",
                                     kwlist, &enc))
        return -1;
    /* Like a construction, __init__ sets the whole content: empty, or
     * decoded from enc. */
    if (enc == Py_None)
        spki = NETSCAPE_SPKI_new();
    else
        spki = spki_decode(st, enc);
    if (spki == NULL)
        return PyErr_Occurred() ? -1 : CRYPTO_RAISE_INT(st);
    NETSCAPE_SPKI_free(self->spki);
    self->spki = spki;
    return 0;
}

static void
spki_dealloc(NetscapeSPKIObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    NETSCAPE_SPKI_free(self->spki);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Methods
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(spki_sign_doc,
"sign($self, /, pkey, digest)\n--\n\n"
"Sign the certificate request with this key and digest type.\n\n"
":param pkey: The private key to sign with (PKey).\n"
":param digest: The message digest to use, a name such as 'sha256' (not\n"
"    used with Ed25519 and Ed448 keys, which sign the whole message).\n"
":raises ValueError: for a public-only or uninitialized key, or an\n"
"    unknown digest.\n"
":raises Error: if OpenSSL cannot sign (for example, no public key set).");

static PyObject *
spki_sign(NetscapeSPKIObject *self, PyObject *args, PyObject *kwargs)
{
    const EVP_MD *md;
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    /* pyOpenSSL 23.0's wording, which differs from X509.sign's. */
    if (crypto_sign_args(st, args, kwargs, "Key has only public part", &pkey,
                         &md) < 0)
        return NULL;
    if (NETSCAPE_SPKI_sign(self->spki, pkey, md) <= 0)
        return CRYPTO_RAISE(st);
    pyossl_clear_errors();
    Py_RETURN_NONE;
}

PyDoc_STRVAR(spki_verify_doc,
"verify($self, /, key)\n--\n\n"
"Verifies a signature on a certificate request.\n\n"
":param PKey key: The public key that signature is supposedly from.\n"
":return: ``True`` if the signature is correct.\n"
":raises OpenSSL.crypto.Error: If the signature is invalid, or there was\n"
"    a problem verifying the signature.");

static PyObject *
spki_verify(NetscapeSPKIObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"key", NULL};
    PyObject *key_obj;
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:verify", kwlist,
                                     &key_obj))
        return NULL;
    pkey = crypto_pkey_ptr(st, key_obj, "key");
    if (pkey == NULL)
        return NULL;
    /* 0 (a bad signature) is a failure too: never a falsy result. */
    if (NETSCAPE_SPKI_verify(self->spki, pkey) <= 0)
        return CRYPTO_RAISE(st);
    pyossl_clear_errors();
    Py_RETURN_TRUE;
}

PyDoc_STRVAR(spki_b64_encode_doc,
"b64_encode($self, /)\n--\n\n"
"Generate a base64 encoded representation of this SPKI object.\n\n"
":return: The base64 encoded string.\n"
":rtype: :py:class:`bytes`");

static PyObject *
spki_b64_encode(NetscapeSPKIObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *result;
    char *encoded;
    CRYPTO_METHOD_STATE(self, st);

    encoded = NETSCAPE_SPKI_b64_encode(self->spki);
    if (encoded == NULL)
        return CRYPTO_RAISE(st);
    result = PyBytes_FromString(encoded);
    OPENSSL_free(encoded);
    return result;
}

PyDoc_STRVAR(spki_get_pubkey_doc,
"get_pubkey($self, /)\n--\n\n"
"Get the public key of this certificate.\n\n"
":return: The public key (a public-only PKey).\n"
":raises Error: if there is none.");

static PyObject *
spki_get_pubkey(NetscapeSPKIObject *self, PyObject *Py_UNUSED(ignored))
{
    EVP_PKEY *pkey, *copy;
    CRYPTO_METHOD_STATE(self, st);

    pkey = NETSCAPE_SPKI_get_pubkey(self->spki);
    if (pkey == NULL)
        return CRYPTO_RAISE(st);
    copy = crypto_pkey_public_copy(st, pkey);
    EVP_PKEY_free(pkey);
    if (copy == NULL)
        return NULL;
    pyossl_clear_errors();
    return crypto_pkey_wrap(st, copy, 1);
}

PyDoc_STRVAR(spki_set_pubkey_doc,
"set_pubkey($self, /, pkey)\n--\n\n"
"Set the public key of the certificate\n\n"
":param pkey: The public key (PKey)\n"
":return: ``None``");

static PyObject *
spki_set_pubkey(NetscapeSPKIObject *self, PyObject *args, PyObject *kwargs)
{
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    pkey = crypto_pubkey_arg(st, args, kwargs);
    if (pkey == NULL)
        return NULL;
    if (NETSCAPE_SPKI_set_pubkey(self->spki, pkey) != 1)
        return CRYPTO_RAISE(st);
    pyossl_clear_errors();
    Py_RETURN_NONE;
}

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))spki_##name, \
     METH_VARARGS | METH_KEYWORDS, spki_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)spki_##name, METH_NOARGS, spki_##name##_doc}

static PyMethodDef spki_methods[] = {
    METH_KW(sign),
    METH_KW(verify),
    METH_NO(b64_encode),
    METH_NO(get_pubkey),
    METH_KW(set_pubkey),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef spki_members[] = {
    {"__weaklistoffset__", T_PYSSIZET,
     offsetof(NetscapeSPKIObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(spki_doc,
"NetscapeSPKI(enc=None)\n--\n\n"
"A Netscape SPKI object (a signed public key and challenge).\n\n"
"*enc*, if given, is a base64-encoded SPKAC (str or bytes) to decode,\n"
"as b64_encode() produces it (without an 'SPKAC=' prefix); Error if it\n"
"does not decode. Without it the object is empty.");

static PyType_Slot spki_slots[] = {
    {Py_tp_doc, (void *)spki_doc},
    {Py_tp_new, spki_new},
    {Py_tp_init, spki_init},
    {Py_tp_dealloc, spki_dealloc},
    {Py_tp_methods, spki_methods},
    {Py_tp_members, spki_members},
    {0, NULL}
};

static PyType_Spec spki_spec = {
    .name = "OpenSSL.crypto.NetscapeSPKI",
    .basicsize = sizeof(NetscapeSPKIObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = spki_slots,
};

int
crypto_spki_register(PyObject *module, crypto_state *st)
{
    st->NetscapeSPKI_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &spki_spec, NULL);
    if (st->NetscapeSPKI_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "NetscapeSPKI",
                                 (PyObject *)st->NetscapeSPKI_Type);
}
