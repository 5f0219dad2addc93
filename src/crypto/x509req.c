/*
 * x509req.c -- OpenSSL.crypto.X509Req, a certificate signing request
 * (PKCS#10), and the module functions load_certificate_request /
 * dump_certificate_request.
 */
#include "crypto.h"
#include "../common/passphrase.h"

/* ------------------------------------------------------------------------
 * Construction and access
 * --------------------------------------------------------------------- */

/* A new instance of `type` owning `req` (freed on failure). */
static PyObject *
x509req_wrap_type(PyTypeObject *type, X509_REQ *req)
{
    X509ReqObject *self = (X509ReqObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        X509_REQ_free(req);
        return NULL;
    }
    self->req = req;
    self->subject_gen = 0;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

/* The X509_REQ behind an X509Req (borrowed), NULL with
 * TypeError+AttributeError if `obj` is not one. */
static X509_REQ *
x509req_ptr(crypto_state *st, PyObject *obj, const char *what)
{
    if (!PyObject_TypeCheck(obj, st->X509Req_Type)) {
        PyErr_Format(st->TypeAttributeError,
                     "%s must be an X509Req instance, not %.100s", what,
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return ((X509ReqObject *)obj)->req;
}

/* d2i an X509_REQ from DER bytes, or NULL with Error. */
static X509_REQ *
x509req_from_der(crypto_state *st, PyObject *der)
{
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(der);
    X509_REQ *req;

    if (PyBytes_GET_SIZE(der) > LONG_MAX) {
        PyErr_SetString(PyExc_ValueError, "request is too long");
        return NULL;
    }
    req = d2i_X509_REQ(NULL, &p, (long)PyBytes_GET_SIZE(der));
    if (req == NULL)
        CRYPTO_RAISE(st);
    else
        pyossl_clear_errors();
    return req;
}

/* tp_new ignores its arguments and tp_init checks them, so that a subclass
 * may give its __init__ another signature. */
static PyObject *
x509req_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
            PyObject *Py_UNUSED(kwargs))
{
    crypto_state *st;
    X509_REQ *req;

    st = crypto_state_of_type(type);
    if (st == NULL)
        return NULL;
    req = X509_REQ_new();
    if (req == NULL)
        return CRYPTO_RAISE(st);
    /* As pyOpenSSL 23: a new request is a version 1 (0) request. */
    if (X509_REQ_set_version(req, 0) != 1) {
        X509_REQ_free(req);
        return CRYPTO_RAISE(st);
    }
    return x509req_wrap_type(type, req);
}

PYOSSL_NO_ARGUMENTS_INIT(x509req_init, "X509Req")

static void
x509req_dealloc(X509ReqObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    X509_REQ_free(self->req);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Public key, version, subject
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509req_set_pubkey_doc,
"set_pubkey($self, /, pkey)\n--\n\n"
"Set the public key of the certificate signing request.\n\n"
":raises Error: if OpenSSL cannot encode the key (an uninitialized PKey).");

static PyObject *
x509req_set_pubkey(X509ReqObject *self, PyObject *args, PyObject *kwargs)
{
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    pkey = crypto_pubkey_arg(st, args, kwargs);
    if (pkey == NULL)
        return NULL;
    if (X509_REQ_set_pubkey(self->req, pkey) != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509req_get_pubkey_doc,
"get_pubkey($self, /)\n--\n\n"
"Get the public key of the certificate signing request (a public-only\n"
"PKey).\n\n"
":raises Error: if the request has no (usable) public key.");

static PyObject *
x509req_get_pubkey(X509ReqObject *self, PyObject *Py_UNUSED(ignored))
{
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    pkey = crypto_pkey_public_copy(st, X509_REQ_get0_pubkey(self->req));
    if (pkey == NULL)
        return NULL;
    return crypto_pkey_wrap(st, pkey, 1);
}

PyDoc_STRVAR(x509req_set_version_doc,
"set_version($self, /, version)\n--\n\n"
"Set the version subfield (RFC 2986, section 4.1) of the request. The\n"
"only version defined is 0 (v1); the value is handed to OpenSSL as is.\n\n"
":raises TypeError: if version is not an int.\n"
":raises Error: if OpenSSL rejects it.");

static PyObject *
x509req_set_version(X509ReqObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"version", NULL};
    long version;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:set_version", kwlist,
                                     pyossl_long_converter, &version))
        return NULL;
    if (X509_REQ_set_version(self->req, version) != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509req_get_version_doc,
"get_version($self, /)\n--\n\n"
"Return the version subfield of the request (an int, 0 for v1).");

static PyObject *
x509req_get_version(X509ReqObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(X509_REQ_get_version(self->req));
}

PyDoc_STRVAR(x509req_get_subject_doc,
"get_subject($self, /)\n--\n\n"
"Return the subject of this request as a live X509Name view: modifying it\n"
"modifies the request, and the view keeps the request alive.");

static PyObject *
x509req_get_subject(X509ReqObject *self, PyObject *Py_UNUSED(ignored))
{
    X509_NAME *name = X509_REQ_get_subject_name(self->req);
    CRYPTO_METHOD_STATE(self, st);
    if (name == NULL)
        return CRYPTO_RAISE(st);
    return crypto_x509name_view(st, name, (PyObject *)self,
                                &self->subject_gen);
}

/* ------------------------------------------------------------------------
 * Extensions
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509req_add_extensions_doc,
"add_extensions($self, /, extensions)\n--\n\n"
"Add extensions to the request from an iterable of X509Extension. They\n"
"go into one extensionRequest attribute; OpenSSL refuses a second one\n"
"(Error 'duplicate attribute'), so add all extensions in one call.\n\n"
":raises ValueError: if an element is not an X509Extension.\n"
":raises Error: if OpenSSL refuses the extensions.");

static PyObject *
x509req_add_extensions(X509ReqObject *self, PyObject *args,
                       PyObject *kwargs)
{
    static char *kwlist[] = {"extensions", NULL};
    PyObject *extensions, *items;
    STACK_OF(X509_EXTENSION) *stack;
    Py_ssize_t i, n;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:add_extensions",
                                     kwlist, &extensions))
        return NULL;
    /* The list keeps every X509Extension (and so its X509_EXTENSION) alive
     * while the stack borrows their pointers. */
    items = PySequence_List(extensions);
    if (items == NULL)
        return NULL;
    n = PyList_GET_SIZE(items);
    for (i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        if (st->X509Extension_Type == NULL ||
            !PyObject_TypeCheck(item, st->X509Extension_Type)) {
            Py_DECREF(items);
            PyErr_SetString(PyExc_ValueError,
                            "One of the elements is not an X509Extension");
            return NULL;
        }
    }
    stack = sk_X509_EXTENSION_new_null();
    if (stack == NULL) {
        Py_DECREF(items);
        return CRYPTO_RAISE(st);
    }
    for (i = 0; i < n; i++) {
        X509ExtensionObject *ext =
            (X509ExtensionObject *)PyList_GET_ITEM(items, i);
        if (sk_X509_EXTENSION_push(stack, ext->ext) <= 0) {
            sk_X509_EXTENSION_free(stack);
            Py_DECREF(items);
            return CRYPTO_RAISE(st);
        }
    }
    rc = X509_REQ_add_extensions(self->req, stack);
    sk_X509_EXTENSION_free(stack);
    Py_DECREF(items);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509req_get_extensions_doc,
"get_extensions($self, /)\n--\n\n"
"Return a list of copies of the X.509 extensions in the request.\n\n"
":raises Error: if the request's extension attribute cannot be decoded.");

static PyObject *
x509req_get_extensions(X509ReqObject *self, PyObject *Py_UNUSED(ignored))
{
    STACK_OF(X509_EXTENSION) *exts;
    PyObject *result;
    int i, n;
    CRYPTO_METHOD_STATE(self, st);

    exts = X509_REQ_get_extensions(self->req);
    if (exts == NULL) {
        /* OpenSSL 3 returns an empty stack when there are no extensions;
         * NULL means a malformed attribute. */
        if (ERR_peek_error() != 0)
            return CRYPTO_RAISE(st);
        return PyList_New(0);
    }
    n = sk_X509_EXTENSION_num(exts);
    result = PyList_New(n > 0 ? n : 0);
    for (i = 0; result != NULL && i < n; i++) {
        PyObject *item = crypto_x509ext_from_ptr(
            st, sk_X509_EXTENSION_value(exts, i));
        if (item == NULL)
            Py_CLEAR(result);
        else
            PyList_SET_ITEM(result, i, item);
    }
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return result;
}

/* ------------------------------------------------------------------------
 * Signing
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509req_sign_doc,
"sign($self, /, pkey, digest)\n--\n\n"
"Sign the request with this key and digest type (a name such as\n"
"'sha256').\n\n"
":raises ValueError: for a public-only or uninitialized key or an unknown\n"
"    digest.\n"
":raises Error: if OpenSSL cannot sign.");

static PyObject *
x509req_sign(X509ReqObject *self, PyObject *args, PyObject *kwargs)
{
    const EVP_MD *md;
    EVP_PKEY *pkey;
    CRYPTO_METHOD_STATE(self, st);

    /* pyOpenSSL 23's wording for requests (X509.sign says "Key only has
     * public part"). */
    if (crypto_sign_args(st, args, kwargs, "Key has only public part", &pkey,
                         &md) < 0)
        return NULL;
    if (X509_REQ_sign(self->req, pkey, md) <= 0)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509req_verify_doc,
"verify($self, /, pkey)\n--\n\n"
"Verify the signature on this request with the public key pkey.\n\n"
":return: True if the signature is correct.\n"
":raises Error: if the signature is invalid or cannot be checked.");

static PyObject *
x509req_verify(X509ReqObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"pkey", NULL};
    PyObject *pkey_obj;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:verify", kwlist,
                                     &pkey_obj))
        return NULL;
    if (!PyObject_TypeCheck(pkey_obj, st->PKey_Type)) {
        PyErr_SetString(PyExc_TypeError, "pkey must be a PKey instance");
        return NULL;
    }
    if (X509_REQ_verify(self->req, ((PKeyObject *)pkey_obj)->pkey) != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_TRUE;
}

/* ------------------------------------------------------------------------
 * cryptography interop and private attributes
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509req_to_cryptography_doc,
"to_cryptography($self, /)\n--\n\n"
"Export as a ``cryptography`` CertificateSigningRequest (an independent\n"
"copy).");

static PyObject *
x509req_to_cryptography(X509ReqObject *self, PyObject *Py_UNUSED(ignored))
{
    unsigned char *der = NULL;
    int len;
    CRYPTO_METHOD_STATE(self, st);

    len = i2d_X509_REQ(self->req, &der);
    return crypto_der_to_cryptography(st, der, len, "load_der_x509_csr");
}

PyDoc_STRVAR(x509req_from_cryptography_doc,
"from_cryptography($type, /, crypto_req)\n--\n\n"
"Construct based on a ``cryptography`` CertificateSigningRequest (an\n"
"independent copy).\n\n"
":raises TypeError: if crypto_req is not one.");

static PyObject *
x509req_from_cryptography(PyTypeObject *cls, PyObject *args,
                          PyObject *kwargs)
{
    static char *kwlist[] = {"crypto_req", NULL};
    PyObject *obj, *der;
    X509_REQ *req;
    crypto_state *st = crypto_state_of_type(cls);

    if (st == NULL)
        return NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:from_cryptography",
                                     kwlist, &obj))
        return NULL;
    der = crypto_cryptography_der_of(obj, "CertificateSigningRequest",
                                     PyExc_TypeError,
                                     "Must be a certificate signing request",
                                     0);
    if (der == NULL)
        return NULL;
    req = x509req_from_der(st, der);
    Py_DECREF(der);
    if (req == NULL)
        return NULL;
    return x509req_wrap_type(cls, req);
}

static PyObject *
x509req_get_req(X509ReqObject *self, void *Py_UNUSED(closure))
{
    return PyCapsule_New(self->req, "OpenSSL.crypto.X509Req._req", NULL);
}

static PyGetSetDef x509req_getset[] = {
    {"_req", (getter)x509req_get_req, NULL,
     "The X509_REQ* as a PyCapsule (not a cffi pointer).", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))x509req_##name, \
     METH_VARARGS | METH_KEYWORDS, x509req_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)x509req_##name, METH_NOARGS, x509req_##name##_doc}

static PyMethodDef x509req_methods[] = {
    METH_KW(set_pubkey),
    METH_NO(get_pubkey),
    METH_KW(set_version),
    METH_NO(get_version),
    METH_NO(get_subject),
    METH_KW(add_extensions),
    METH_NO(get_extensions),
    METH_KW(sign),
    METH_KW(verify),
    METH_NO(to_cryptography),
    {"from_cryptography",
     (PyCFunction)(void (*)(void))x509req_from_cryptography,
     METH_VARARGS | METH_KEYWORDS | METH_CLASS, x509req_from_cryptography_doc},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef x509req_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(X509ReqObject, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(x509req_doc,
"X509Req()\n--\n\n"
"An X.509 certificate signing request. X509Req() creates an empty one\n"
"(version 0).");

static PyType_Slot x509req_slots[] = {
    {Py_tp_doc, (void *)x509req_doc},
    {Py_tp_new, x509req_new},
    {Py_tp_init, x509req_init},
    {Py_tp_dealloc, x509req_dealloc},
    {Py_tp_methods, x509req_methods},
    {Py_tp_members, x509req_members},
    {Py_tp_getset, x509req_getset},
    {0, NULL}
};

static PyType_Spec x509req_spec = {
    .name = "OpenSSL.crypto.X509Req",
    .basicsize = sizeof(X509ReqObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = x509req_slots,
};

int
crypto_x509req_register(PyObject *module, crypto_state *st)
{
    st->X509Req_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &x509req_spec, NULL);
    if (st->X509Req_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "X509Req",
                                 (PyObject *)st->X509Req_Type);
}

/* ------------------------------------------------------------------------
 * load_certificate_request / dump_certificate_request
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(load_certificate_request_doc,
"load_certificate_request(type, buffer)\n--\n\n"
"Load a certificate request (X509Req) from the string *buffer* encoded\n"
"with the type *type* (FILETYPE_PEM or FILETYPE_ASN1).\n\n"
":raises ValueError: for any other type.\n"
":raises Error: if the buffer does not hold a certificate request.");

static void *
read_x509req(BIO *bio, long type, void *Py_UNUSED(arg))
{
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_read_bio_X509_REQ(bio, NULL, pyossl_passphrase_cb, NULL);
    return d2i_X509_REQ_bio(bio, NULL);
}

static PyObject *
load_certificate_request(PyObject *module, PyObject *args, PyObject *kwargs)
{
    crypto_state *st = PyModule_GetState(module);
    X509_REQ *req = crypto_load(st, args, kwargs,
                                "OO:load_certificate_request", read_x509req);

    if (req == NULL)
        return NULL;
    /* OpenSSL accepts a request whose extensions do not decode (it marks it
     * invalid for verification) and leaves the decoding errors behind. */
    pyossl_clear_errors();
    return x509req_wrap_type(st->X509Req_Type, req);
}

PyDoc_STRVAR(dump_certificate_request_doc,
"dump_certificate_request(type, req)\n--\n\n"
"Dump the certificate request *req* into bytes: PEM, DER (FILETYPE_ASN1)\n"
"or OpenSSL's text form (FILETYPE_TEXT, exactly what X509_REQ_print_ex\n"
"prints: `openssl req -noout -text -nameopt compat`).\n\n"
":raises ValueError: for any other type.\n"
":raises Error: if OpenSSL cannot encode the request.");

static int
write_x509req(BIO *bio, long type, void *obj)
{
    X509_REQ *req = obj;
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_write_bio_X509_REQ(bio, req) == 1;
    if (type == CRYPTO_FILETYPE_ASN1)
        return i2d_X509_REQ_bio(bio, req) == 1;
    /* The printer writes (and so drains) the error queue into its output
     * when the key cannot be decoded; start from an empty one so that only
     * its own errors appear there. */
    pyossl_clear_errors();
    return X509_REQ_print_ex(bio, req, XN_FLAG_COMPAT, X509_FLAG_COMPAT) == 1;
}

static PyObject *
dump_certificate_request(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", "req", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *type_obj, *req_obj;
    X509_REQ *req;
    long type;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs,
                                     "OO:dump_certificate_request", kwlist,
                                     &type_obj, &req_obj))
        return NULL;
    type = crypto_filetype_of(type_obj);
    if (crypto_filetype_check(type, 1) < 0)
        return NULL;
    req = x509req_ptr(st, req_obj, "req");
    if (req == NULL)
        return NULL;
    return crypto_dump_object(st, type, write_x509req, req);
}

#define FUNC(name) \
    {#name, (PyCFunction)(void (*)(void))name, \
     METH_VARARGS | METH_KEYWORDS, name##_doc}

PyMethodDef crypto_x509req_methods[] = {
    FUNC(load_certificate_request),
    FUNC(dump_certificate_request),
    {NULL, NULL, 0, NULL}
};
