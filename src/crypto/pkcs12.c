/*
 * pkcs12.c -- OpenSSL.crypto.PKCS12 (a PKCS #12 archive held as Python
 * objects) and load_pkcs12().
 *
 * A PKCS12 is four Python fields, as in pyOpenSSL 23.0: the certificate
 * (X509), the private key (PKey), the CA certificates (a tuple of X509)
 * and the friendly name (bytes), each of them possibly None. export()
 * builds the DER with PKCS12_create (PBE-SHA1-3DES, as 23.0 does);
 * load_pkcs12() parses DER into new X509/PKey objects.
 *
 * Reading legacy files. OpenSSL 3 keeps RC2, RC4 and single DES, which
 * older tools (and `openssl pkcs12 -export -legacy`) use to encrypt the
 * certificates of a PKCS #12 file, in its "legacy" provider, which the
 * default library context does not load. load_pkcs12() therefore parses
 * in two steps:
 *
 *   1. in the default library context, exactly as PKCS12_parse() would;
 *   2. only if that failed because an algorithm was unavailable, once
 *      more, decrypting in a private OSSL_LIB_CTX with the default and
 *      legacy providers loaded (made on first need and kept in the module
 *      state until the module is freed).
 *
 * The process's default context and its providers are never changed. So
 * that the decryption can use another library context, the parse is ours:
 * p12_parse() follows OpenSSL 3.0's PKCS12_parse() step by step (the MAC
 * check, the bag walk, the key/certificate match and the error codes), but
 * passes the library context to the two decryption calls only. What comes
 * out of them is plain ASN.1 (a SafeBag list, a PKCS#8 structure), which
 * is turned into keys and certificates in the default context, so nothing
 * that the caller gets refers to the private context.
 */
#include "crypto.h"

#include <openssl/pkcs12.h>
#include <openssl/provider.h>

/* ------------------------------------------------------------------------
 * Construction and garbage collection
 * --------------------------------------------------------------------- */

/* tp_new ignores its arguments and tp_init checks them, so that a subclass
 * may give its __init__ another signature. */
static PyObject *
pkcs12_new(PyTypeObject *type, PyObject *Py_UNUSED(args),
           PyObject *Py_UNUSED(kwargs))
{
    /* tp_alloc zeroes the fields: NULL stands for None. */
    return type->tp_alloc(type, 0);
}

PYOSSL_NO_ARGUMENTS_INIT(pkcs12_init, "PKCS12")

static int
pkcs12_traverse(PKCS12Object *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->cert);
    Py_VISIT(self->key);
    Py_VISIT(self->cacerts);
    Py_VISIT(self->friendlyname);
    return 0;
}

static int
pkcs12_clear(PKCS12Object *self)
{
    Py_CLEAR(self->cert);
    Py_CLEAR(self->key);
    Py_CLEAR(self->cacerts);
    Py_CLEAR(self->friendlyname);
    return 0;
}

static void
pkcs12_dealloc(PKCS12Object *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    pkcs12_clear(self);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* A field as a new reference, None for NULL. */
static PyObject *
field_or_none(PyObject *field)
{
    return Py_NewRef(field != NULL ? field : Py_None);
}

/* Replace a field (value borrowed; NULL or None unsets it). */
static void
field_set(PyObject **field, PyObject *value)
{
    PyObject *old = *field;
    *field = (value == NULL || value == Py_None) ? NULL : Py_NewRef(value);
    Py_XDECREF(old);
}

/* ------------------------------------------------------------------------
 * Getters and setters
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(pkcs12_get_certificate_doc,
"get_certificate($self, /)\n--\n\n"
"Get the certificate in the PKCS #12 structure.\n\n"
":return: The certificate, or :py:const:`None` if there is none.\n"
":rtype: :py:class:`X509` or :py:const:`None`");

static PyObject *
pkcs12_get_certificate(PKCS12Object *self, PyObject *Py_UNUSED(ignored))
{
    return field_or_none(self->cert);
}

PyDoc_STRVAR(pkcs12_set_certificate_doc,
"set_certificate($self, /, cert)\n--\n\n"
"Set the certificate in the PKCS #12 structure.\n\n"
":param cert: The new certificate, or :py:const:`None` to unset it.\n"
":type cert: :py:class:`X509` or :py:const:`None`\n\n"
":return: ``None``");

static PyObject *
pkcs12_set_certificate(PKCS12Object *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cert", NULL};
    PyObject *cert;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_certificate",
                                     kwlist, &cert))
        return NULL;
    if (cert != Py_None && !PyObject_TypeCheck(cert, st->X509_Type)) {
        PyErr_SetString(PyExc_TypeError, "cert must be an X509 instance");
        return NULL;
    }
    field_set(&self->cert, cert);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(pkcs12_get_privatekey_doc,
"get_privatekey($self, /)\n--\n\n"
"Get the private key in the PKCS #12 structure.\n\n"
":return: The private key, or :py:const:`None` if there is none.\n"
":rtype: :py:class:`PKey`");

static PyObject *
pkcs12_get_privatekey(PKCS12Object *self, PyObject *Py_UNUSED(ignored))
{
    return field_or_none(self->key);
}

PyDoc_STRVAR(pkcs12_set_privatekey_doc,
"set_privatekey($self, /, pkey)\n--\n\n"
"Set the certificate portion of the PKCS #12 structure.\n\n"
":param pkey: The new private key, or :py:const:`None` to unset it.\n"
":type pkey: :py:class:`PKey` or :py:const:`None`\n\n"
":return: ``None``");

static PyObject *
pkcs12_set_privatekey(PKCS12Object *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"pkey", NULL};
    PyObject *pkey;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_privatekey",
                                     kwlist, &pkey))
        return NULL;
    if (pkey != Py_None && !PyObject_TypeCheck(pkey, st->PKey_Type)) {
        PyErr_SetString(PyExc_TypeError, "pkey must be a PKey instance");
        return NULL;
    }
    field_set(&self->key, pkey);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(pkcs12_get_ca_certificates_doc,
"get_ca_certificates($self, /)\n--\n\n"
"Get the CA certificates in the PKCS #12 structure.\n\n"
":return: A tuple with the CA certificates in the chain, or\n"
"    :py:const:`None` if there are none.\n"
":rtype: :py:class:`tuple` of :py:class:`X509` or :py:const:`None`");

static PyObject *
pkcs12_get_ca_certificates(PKCS12Object *self, PyObject *Py_UNUSED(ignored))
{
    return field_or_none(self->cacerts);
}

PyDoc_STRVAR(pkcs12_set_ca_certificates_doc,
"set_ca_certificates($self, /, cacerts)\n--\n\n"
"Replace or set the CA certificates within the PKCS12 object.\n\n"
":param cacerts: The new CA certificates, or :py:const:`None` to unset\n"
"    them.\n"
":type cacerts: An iterable of :py:class:`X509` or :py:const:`None`\n\n"
":return: ``None``");

static PyObject *
pkcs12_set_ca_certificates(PKCS12Object *self, PyObject *args,
                           PyObject *kwargs)
{
    static char *kwlist[] = {"cacerts", NULL};
    PyObject *cacerts, *list, *tuple;
    Py_ssize_t i;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_ca_certificates",
                                     kwlist, &cacerts))
        return NULL;
    if (cacerts == Py_None) {
        field_set(&self->cacerts, NULL);
        Py_RETURN_NONE;
    }
    list = PySequence_List(cacerts);
    if (list == NULL)
        return NULL;
    for (i = 0; i < PyList_GET_SIZE(list); i++) {
        if (!PyObject_TypeCheck(PyList_GET_ITEM(list, i), st->X509_Type)) {
            Py_DECREF(list);
            PyErr_SetString(PyExc_TypeError,
                            "iterable must only contain X509 instances");
            return NULL;
        }
    }
    tuple = PyList_AsTuple(list);
    Py_DECREF(list);
    if (tuple == NULL)
        return NULL;
    field_set(&self->cacerts, tuple);
    Py_DECREF(tuple);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(pkcs12_get_friendlyname_doc,
"get_friendlyname($self, /)\n--\n\n"
"Get the friendly name in the PKCS# 12 structure.\n\n"
":returns: The friendly name,  or :py:const:`None` if there is none.\n"
":rtype: :py:class:`bytes` or :py:const:`None`");

static PyObject *
pkcs12_get_friendlyname(PKCS12Object *self, PyObject *Py_UNUSED(ignored))
{
    return field_or_none(self->friendlyname);
}

PyDoc_STRVAR(pkcs12_set_friendlyname_doc,
"set_friendlyname($self, /, name)\n--\n\n"
"Set the friendly name in the PKCS #12 structure.\n\n"
":param name: The new friendly name, or :py:const:`None` to unset.\n"
":type name: :py:class:`bytes` or :py:const:`None`\n\n"
":return: ``None``");

static PyObject *
pkcs12_set_friendlyname(PKCS12Object *self, PyObject *args,
                        PyObject *kwargs)
{
    static char *kwlist[] = {"name", NULL};
    PyObject *name;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_friendlyname",
                                     kwlist, &name))
        return NULL;
    if (name != Py_None && !PyBytes_Check(name)) {
        PyErr_Format(PyExc_TypeError,
                     "name must be a byte string or None (not %R)", name);
        return NULL;
    }
    field_set(&self->friendlyname, name);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * Passphrases
 * --------------------------------------------------------------------- */

/* A PKCS #12 passphrase: None (out->data == NULL), bytes, or str with a
 * DeprecationWarning (UTF-8). PKCS #12 passphrases are C strings for
 * OpenSSL, so one with a NUL byte would be cut short silently: refuse it
 * instead. 0 or -1; release with pyossl_bytes_release(). */
static int
passphrase_arg(PyObject *obj, pyossl_bytes *out)
{
    if (obj == Py_None) {
        memset(out, 0, sizeof(*out));
        return 0;
    }
    if (pyossl_bytes_or_text_warn(obj, "passphrase", 0, out) < 0)
        return -1;
    if (memchr(out->data, '\0', (size_t)out->len) != NULL) {
        pyossl_bytes_release(out);
        PyErr_SetString(PyExc_ValueError,
                        "passphrase must not contain NUL bytes");
        return -1;
    }
    if (out->len > INT_MAX) {
        pyossl_bytes_release(out);
        PyErr_SetString(PyExc_ValueError, "passphrase is too long");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * export
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(pkcs12_export_doc,
"export($self, /, passphrase=None, iter=2048, maciter=1)\n--\n\n"
"Dump a PKCS12 object as a string.\n\n"
"For more information, see the :c:func:`PKCS12_create` man page. The key\n"
"and the certificates are encrypted with PBE-SHA1-3DES.\n\n"
":param passphrase: The passphrase used to encrypt the structure. Unlike\n"
"    some other passphrase arguments, this *must* be a string, not a\n"
"    callback (bytes; str is accepted with a DeprecationWarning). It may\n"
"    not contain NUL bytes.\n"
":type passphrase: :py:data:`bytes`\n\n"
":param iter: Number of times to repeat the encryption step.\n"
":type iter: :py:data:`int`\n\n"
":param maciter: Number of times to repeat the MAC step.\n"
":type maciter: :py:data:`int`\n\n"
":return: The string representation of the PKCS #12 structure (DER\n"
"    bytes).\n"
":raises ValueError: if the passphrase or the friendly name contains a\n"
"    NUL byte (OpenSSL takes both as C strings: pyOpenSSL 23.0 cut them\n"
"    short there).\n"
":raises Error: if OpenSSL cannot build it (for example for an empty\n"
"    PKCS12, a public-only key or a key that does not match the\n"
"    certificate).");

static PyObject *
pkcs12_export(PKCS12Object *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"passphrase", "iter", "maciter", NULL};
    PyObject *passphrase = Py_None;
    int iter = 2048, maciter = 1, len;
    STACK_OF(X509) *cacerts = NULL;
    unsigned char *der = NULL;
    pyossl_bytes pass;
    PKCS12 *p12;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|Oii:export", kwlist,
                                     &passphrase, &iter, &maciter))
        return NULL;
    if (passphrase_arg(passphrase, &pass) < 0)
        return NULL;
    /* PKCS12_create() takes the friendly name as a C string: one with a NUL
     * byte would be cut short there without a word. */
    if (self->friendlyname != NULL &&
        memchr(PyBytes_AS_STRING(self->friendlyname), '\0',
               (size_t)PyBytes_GET_SIZE(self->friendlyname)) != NULL) {
        pyossl_bytes_release(&pass);
        PyErr_SetString(PyExc_ValueError,
                        "friendly name must not contain NUL bytes");
        return NULL;
    }
    if (self->cacerts != NULL) {
        Py_ssize_t i;
        cacerts = sk_X509_new_null();
        if (cacerts == NULL)
            goto error;
        for (i = 0; i < PyTuple_GET_SIZE(self->cacerts); i++) {
            X509Object *cert = (X509Object *)PyTuple_GET_ITEM(self->cacerts,
                                                              i);
            /* Borrowed: the tuple keeps the certificates alive. */
            if (sk_X509_push(cacerts, cert->x509) <= 0)
                goto error;
        }
    }
    /* The GIL stays held: the key and certificates belong to Python
     * objects that other threads could change meanwhile. */
    p12 = PKCS12_create(
        pass.data,
        self->friendlyname != NULL ? PyBytes_AS_STRING(self->friendlyname)
                                   : NULL,
        self->key != NULL ? ((PKeyObject *)self->key)->pkey : NULL,
        self->cert != NULL ? ((X509Object *)self->cert)->x509 : NULL,
        cacerts,
        NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
        NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
        iter, maciter, 0);
    sk_X509_free(cacerts);
    cacerts = NULL;
    pyossl_bytes_release(&pass);
    if (p12 == NULL)
        return CRYPTO_RAISE(st);
    len = i2d_PKCS12(p12, &der);
    PKCS12_free(p12);
    if (len > 0)
        pyossl_clear_errors();
    return pyossl_take_openssl_buffer(der, len, st->Error);

error:
    sk_X509_free(cacerts);
    pyossl_bytes_release(&pass);
    return CRYPTO_RAISE(st);
}

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))pkcs12_##name, \
     METH_VARARGS | METH_KEYWORDS, pkcs12_##name##_doc}
#define METH_NO(name) \
    {#name, (PyCFunction)pkcs12_##name, METH_NOARGS, pkcs12_##name##_doc}

static PyMethodDef pkcs12_methods[] = {
    METH_NO(get_certificate),
    METH_KW(set_certificate),
    METH_NO(get_privatekey),
    METH_KW(set_privatekey),
    METH_NO(get_ca_certificates),
    METH_KW(set_ca_certificates),
    METH_NO(get_friendlyname),
    METH_KW(set_friendlyname),
    METH_KW(export),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef pkcs12_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(PKCS12Object, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(pkcs12_doc,
"PKCS12()\n--\n\n"
"A PKCS #12 archive: a certificate, its private key, CA certificates and\n"
"a friendly name, each of which may be None. PKCS12() is empty.");

static PyType_Slot pkcs12_slots[] = {
    {Py_tp_doc, (void *)pkcs12_doc},
    {Py_tp_new, pkcs12_new},
    {Py_tp_init, pkcs12_init},
    {Py_tp_dealloc, pkcs12_dealloc},
    {Py_tp_traverse, pkcs12_traverse},
    {Py_tp_clear, pkcs12_clear},
    {Py_tp_methods, pkcs12_methods},
    {Py_tp_members, pkcs12_members},
    {0, NULL}
};

static PyType_Spec pkcs12_spec = {
    .name = "OpenSSL.crypto.PKCS12",
    .basicsize = sizeof(PKCS12Object),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = pkcs12_slots,
};

int
crypto_pkcs12_register(PyObject *module, crypto_state *st)
{
    st->PKCS12_Type = (PyTypeObject *)PyType_FromModuleAndSpec(module,
                                                               &pkcs12_spec,
                                                               NULL);
    if (st->PKCS12_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "PKCS12",
                                 (PyObject *)st->PKCS12_Type);
}

/* ------------------------------------------------------------------------
 * The legacy library context
 * --------------------------------------------------------------------- */

/* The private library context with the default and legacy providers,
 * made on first call (borrowed), or NULL if the legacy provider cannot be
 * loaded here (then never tried again). Needs the GIL, which serialises
 * its creation; errors are left in the queue. */
static OSSL_LIB_CTX *
legacy_libctx(crypto_state *st)
{
    OSSL_LIB_CTX *ctx;
    OSSL_PROVIDER *deflt = NULL, *legacy = NULL;

    if (st->legacy_libctx != NULL)
        return st->legacy_libctx;
    if (st->legacy_unavailable)
        return NULL;
    ctx = OSSL_LIB_CTX_new();
    if (ctx != NULL) {
        deflt = OSSL_PROVIDER_load(ctx, "default");
        legacy = OSSL_PROVIDER_load(ctx, "legacy");
    }
    if (ctx == NULL || deflt == NULL || legacy == NULL) {
        if (legacy != NULL)
            OSSL_PROVIDER_unload(legacy);
        if (deflt != NULL)
            OSSL_PROVIDER_unload(deflt);
        OSSL_LIB_CTX_free(ctx);
        st->legacy_unavailable = 1;
        return NULL;
    }
    st->legacy_libctx = ctx;
    st->legacy_provider = legacy;
    st->legacy_default_provider = deflt;
    return ctx;
}

void
crypto_pkcs12_free_state(crypto_state *st)
{
    if (st == NULL)
        return;
    if (st->legacy_provider != NULL)
        OSSL_PROVIDER_unload(st->legacy_provider);
    if (st->legacy_default_provider != NULL)
        OSSL_PROVIDER_unload(st->legacy_default_provider);
    OSSL_LIB_CTX_free(st->legacy_libctx);
    st->legacy_provider = NULL;
    st->legacy_default_provider = NULL;
    st->legacy_libctx = NULL;
}

/* Did the failure in the error queue come from an algorithm that this
 * library context does not provide? Looks at the oldest entry (the root
 * cause) and the newest; leaves the queue as it is. */
static int
error_is_unavailable_algorithm(void)
{
    unsigned long codes[2];
    int i;

    codes[0] = ERR_peek_error();
    codes[1] = ERR_peek_last_error();
    for (i = 0; i < 2; i++) {
        int reason = ERR_GET_REASON(codes[i]);
        if (codes[i] == 0 || ERR_GET_LIB(codes[i]) != ERR_LIB_EVP)
            continue;
        if (reason == ERR_R_UNSUPPORTED || reason == ERR_R_FETCH_FAILED ||
            reason == EVP_R_UNSUPPORTED_ALGORITHM ||
            reason == EVP_R_UNSUPPORTED_CIPHER ||
            reason == EVP_R_UNKNOWN_CIPHER ||
            reason == EVP_R_UNKNOWN_DIGEST ||
            reason == EVP_R_UNSUPPORTED_KEY_DERIVATION_FUNCTION ||
            reason == EVP_R_UNKNOWN_PBE_ALGORITHM)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Parsing (OpenSSL 3.0's PKCS12_parse, with a library context for the
 * decryption). Everything here runs without the GIL and reports failure
 * through the OpenSSL error queue.
 * --------------------------------------------------------------------- */

/* Nested SafeContents bags deeper than this are refused (the ASN.1
 * decoder's own nesting limit is lower still). */
#define P12_MAX_BAG_DEPTH 32

static int parse_bags(const STACK_OF(PKCS12_SAFEBAG) *bags, const char *pass,
                      int passlen, EVP_PKEY **pkey, STACK_OF(X509) *ocerts,
                      OSSL_LIB_CTX *libctx, int depth);

/* The value of a string attribute of a bag (friendlyName, localKeyID), or
 * NULL if it is absent or not a string. */
static const ASN1_STRING *
bag_string_attr(const PKCS12_SAFEBAG *bag, int nid)
{
    const ASN1_TYPE *attr = PKCS12_SAFEBAG_get0_attr(bag, nid);
    if (attr == NULL || attr->type == V_ASN1_BOOLEAN ||
        attr->type == V_ASN1_NULL || attr->type == V_ASN1_OBJECT)
        return NULL;
    return attr->value.asn1_string;
}

static int
parse_bag(const PKCS12_SAFEBAG *bag, const char *pass, int passlen,
          EVP_PKEY **pkey, STACK_OF(X509) *ocerts, OSSL_LIB_CTX *libctx,
          int depth)
{
    const ASN1_STRING *fname = bag_string_attr(bag, NID_friendlyName);
    const ASN1_STRING *lkid = bag_string_attr(bag, NID_localKeyID);
    PKCS8_PRIV_KEY_INFO *p8;
    X509 *x509;

    switch (PKCS12_SAFEBAG_get_nid(bag)) {
    case NID_keyBag:
        if (*pkey != NULL)
            return 1;       /* the first key wins */
        if (PKCS12_SAFEBAG_get0_p8inf(bag) == NULL) {
            ERR_raise(ERR_LIB_PKCS12, PKCS12_R_DECODE_ERROR);
            return 0;
        }
        *pkey = EVP_PKCS82PKEY_ex(PKCS12_SAFEBAG_get0_p8inf(bag), NULL,
                                  NULL);
        return *pkey != NULL;

    case NID_pkcs8ShroudedKeyBag:
        if (*pkey != NULL)
            return 1;
        p8 = PKCS12_decrypt_skey_ex(bag, pass, passlen, libctx, NULL);
        if (p8 == NULL)
            return 0;
        /* The key itself lives in the default context. */
        *pkey = EVP_PKCS82PKEY_ex(p8, NULL, NULL);
        PKCS8_PRIV_KEY_INFO_free(p8);
        return *pkey != NULL;

    case NID_certBag:
        if (PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate)
            return 1;
        x509 = PKCS12_SAFEBAG_get1_cert(bag);
        if (x509 == NULL)
            return 0;
        if (lkid != NULL &&
            !X509_keyid_set1(x509, ASN1_STRING_get0_data(lkid),
                             ASN1_STRING_length(lkid)))
            goto cert_error;
        if (fname != NULL) {
            unsigned char *data = NULL;
            int len = ASN1_STRING_to_UTF8(&data, fname), ok;
            if (len < 0)
                goto cert_error;
            ok = X509_alias_set1(x509, data, len);
            OPENSSL_free(data);
            if (!ok)
                goto cert_error;
        }
        if (sk_X509_push(ocerts, x509) <= 0)
            goto cert_error;
        return 1;
    cert_error:
        X509_free(x509);
        return 0;

    case NID_safeContentsBag:
        if (depth >= P12_MAX_BAG_DEPTH) {
            ERR_raise(ERR_LIB_PKCS12, PKCS12_R_DECODE_ERROR);
            return 0;
        }
        return parse_bags(PKCS12_SAFEBAG_get0_safes(bag), pass, passlen,
                          pkey, ocerts, libctx, depth + 1);

    default:
        return 1;           /* other bags are ignored */
    }
}

static int
parse_bags(const STACK_OF(PKCS12_SAFEBAG) *bags, const char *pass,
           int passlen, EVP_PKEY **pkey, STACK_OF(X509) *ocerts,
           OSSL_LIB_CTX *libctx, int depth)
{
    int i;
    for (i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++) {
        if (!parse_bag(sk_PKCS12_SAFEBAG_value(bags, i), pass, passlen, pkey,
                       ocerts, libctx, depth))
            return 0;
    }
    return 1;
}

/* The SafeBags of an encrypted-data ContentInfo, decrypted in `libctx`
 * (PKCS12_unpack_p7encdata with a library context of our choosing). */
static STACK_OF(PKCS12_SAFEBAG) *
unpack_encrypted(const PKCS7 *p7, const char *pass, int passlen,
                 OSSL_LIB_CTX *libctx)
{
    const PKCS7_ENCRYPT *enc = p7->d.encrypted;
    if (enc == NULL || enc->enc_data == NULL ||
        enc->enc_data->algorithm == NULL || enc->enc_data->enc_data == NULL) {
        ERR_raise(ERR_LIB_PKCS12, PKCS12_R_DECODE_ERROR);
        return NULL;
    }
    return PKCS12_item_decrypt_d2i_ex(enc->enc_data->algorithm,
                                      ASN1_ITEM_rptr(PKCS12_SAFEBAGS),
                                      pass, passlen,
                                      enc->enc_data->enc_data, 1,
                                      libctx, NULL);
}

/* Walk the authenticated safes: the key goes to *pkey, every certificate
 * to `ocerts`. */
static int
parse_safes(PKCS12 *p12, const char *pass, int passlen, EVP_PKEY **pkey,
            STACK_OF(X509) *ocerts, OSSL_LIB_CTX *libctx)
{
    STACK_OF(PKCS7) *asafes = PKCS12_unpack_authsafes(p12);
    int i, ok = 1;

    if (asafes == NULL)
        return 0;
    for (i = 0; ok && i < sk_PKCS7_num(asafes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(asafes, i);
        STACK_OF(PKCS12_SAFEBAG) *bags;

        switch (OBJ_obj2nid(p7->type)) {
        case NID_pkcs7_data:
            if (p7->d.data == NULL) {
                ERR_raise(ERR_LIB_PKCS12, PKCS12_R_DECODE_ERROR);
                bags = NULL;
            }
            else
                bags = PKCS12_unpack_p7data(p7);
            break;
        case NID_pkcs7_encrypted:
            bags = unpack_encrypted(p7, pass, passlen, libctx);
            break;
        default:
            continue;       /* other content types are skipped */
        }
        ok = bags != NULL &&
             parse_bags(bags, pass, passlen, pkey, ocerts, libctx, 0);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    sk_PKCS7_pop_free(asafes, PKCS7_free);
    return ok;
}

/* Parse `p12` with the passphrase `pass` (a C string or NULL): the MAC
 * check, then the bags, decrypted in `libctx` (NULL: the default
 * context). On success *pkey, *cert and *ca are the key, the certificate
 * that matches it and the other certificates in file order, each possibly
 * NULL, and 1 is returned; on failure 0, with the queue set. */
static int
p12_parse(PKCS12 *p12, const char *pass, OSSL_LIB_CTX *libctx,
          EVP_PKEY **pkey, X509 **cert, STACK_OF(X509) **ca)
{
    STACK_OF(X509) *ocerts = NULL;
    X509 *x = NULL;

    *pkey = NULL;
    *cert = NULL;
    *ca = NULL;

    /* An empty passphrase may mean "none" or "empty": the MAC tells. */
    if (pass == NULL || *pass == '\0') {
        if (!PKCS12_mac_present(p12) || PKCS12_verify_mac(p12, NULL, 0))
            pass = NULL;
        else if (PKCS12_verify_mac(p12, "", 0))
            pass = "";
        else {
            ERR_raise(ERR_LIB_PKCS12, PKCS12_R_MAC_VERIFY_FAILURE);
            goto err;
        }
    }
    else if (!PKCS12_verify_mac(p12, pass, -1)) {
        ERR_raise(ERR_LIB_PKCS12, PKCS12_R_MAC_VERIFY_FAILURE);
        goto err;
    }

    ocerts = sk_X509_new_null();
    if (ocerts == NULL)
        goto err;
    if (!parse_safes(p12, pass, -1, pkey, ocerts, libctx)) {
        unsigned long e = ERR_peek_last_error();
        /* OpenSSL's own condition for adding "parse error". */
        if (ERR_GET_LIB(e) != ERR_LIB_EVP &&
            ERR_GET_REASON(e) != EVP_R_UNSUPPORTED_ALGORITHM)
            ERR_raise(ERR_LIB_PKCS12, PKCS12_R_PARSE_ERROR);
        goto err;
    }

    /* The first certificate that matches the key is the certificate; the
     * others are CA certificates. */
    while ((x = sk_X509_shift(ocerts)) != NULL) {
        if (*pkey != NULL && *cert == NULL) {
            int match;
            ERR_set_mark();
            match = X509_check_private_key(x, *pkey);
            ERR_pop_to_mark();
            if (match) {
                *cert = x;
                continue;
            }
        }
        if (*ca == NULL && (*ca = sk_X509_new_null()) == NULL)
            goto err;
        if (sk_X509_push(*ca, x) <= 0)
            goto err;
    }
    sk_X509_free(ocerts);
    return 1;

err:
    X509_free(x);
    EVP_PKEY_free(*pkey);
    X509_free(*cert);
    sk_X509_pop_free(*ca, X509_free);
    sk_X509_pop_free(ocerts, X509_free);
    *pkey = NULL;
    *cert = NULL;
    *ca = NULL;
    return 0;
}

/* ------------------------------------------------------------------------
 * load_pkcs12
 * --------------------------------------------------------------------- */

/* Raise Error for a file that needs the legacy provider when it cannot be
 * loaded: the queue's entries (which name the missing algorithm) and one
 * of ours saying what to do. Returns NULL. */
static PyObject *
raise_legacy_unavailable(crypto_state *st)
{
    PyObject *errors = pyossl_error_list(), *item;

    if (errors == NULL)
        return NULL;
    item = Py_BuildValue(
        "(sss)", "pyOpenSSL", "",
        "PKCS#12 data encrypted with a legacy algorithm (such as RC2 or "
        "RC4) needs OpenSSL's legacy provider, which could not be loaded");
    if (item == NULL || PyList_Append(errors, item) < 0) {
        Py_XDECREF(item);
        Py_DECREF(errors);
        return NULL;
    }
    Py_DECREF(item);
    return pyossl_raise_error_list(st->Error, errors);
}

/* The new PKCS12 object for what p12_parse() found; consumes the three
 * (each possibly NULL) even on failure. */
static PyObject *
pkcs12_from_parts(crypto_state *st, EVP_PKEY *pkey, X509 *cert,
                  STACK_OF(X509) *ca)
{
    PKCS12Object *self;
    int i, n = ca != NULL ? sk_X509_num(ca) : 0;

    self = (PKCS12Object *)st->PKCS12_Type->tp_alloc(st->PKCS12_Type, 0);
    if (self == NULL)
        goto fail;
    if (cert != NULL) {
        int len = 0;
        const unsigned char *alias = X509_alias_get0(cert, &len);
        if (alias != NULL) {
            self->friendlyname = PyBytes_FromStringAndSize(
                (const char *)alias, len);
            if (self->friendlyname == NULL)
                goto fail;
        }
        self->cert = crypto_x509_wrap(st, cert);
        cert = NULL;
        if (self->cert == NULL)
            goto fail;
    }
    if (pkey != NULL) {
        self->key = crypto_pkey_wrap(st, pkey, 0);
        pkey = NULL;
        if (self->key == NULL)
            goto fail;
    }
    if (n > 0) {
        self->cacerts = PyTuple_New(n);
        if (self->cacerts == NULL)
            goto fail;
        for (i = 0; i < n; i++) {
            PyObject *item = crypto_x509_from_ptr(st, sk_X509_value(ca, i));
            if (item == NULL)
                goto fail;
            PyTuple_SET_ITEM(self->cacerts, i, item);
        }
    }
    sk_X509_pop_free(ca, X509_free);
    return (PyObject *)self;

fail:
    Py_XDECREF(self);
    EVP_PKEY_free(pkey);
    X509_free(cert);
    sk_X509_pop_free(ca, X509_free);
    return NULL;
}

PyDoc_STRVAR(load_pkcs12_doc,
"load_pkcs12(buffer, passphrase=None)\n--\n\n"
"Load pkcs12 data from the string *buffer*. If the pkcs12 structure is\n"
"encrypted, a *passphrase* must be included.  The MAC is always\n"
"checked and thus required.\n\n"
"See also the man page for the C function :py:func:`PKCS12_parse`.\n\n"
"Files encrypted with legacy algorithms (RC2, RC4, DES: older tools and\n"
"``openssl pkcs12 -export -legacy``) are read with OpenSSL's legacy\n"
"provider, loaded into a private library context when first needed.\n\n"
":param buffer: The buffer the certificate is stored in (DER bytes)\n"
":param passphrase: (Optional) The password to decrypt the PKCS12 lump\n"
"    (bytes; str is accepted with a DeprecationWarning). None or empty\n"
"    means no password.\n"
":returns: The PKCS12 object\n"
":raises Error: if the data cannot be parsed, the MAC does not verify\n"
"    (a wrong passphrase) or the data needs a legacy algorithm that is\n"
"    not available.");

/* The reader of load_pkcs12 (a crypto_reader): PKCS #12 data is DER
 * only, `type` is always FILETYPE_ASN1. */
static void *
read_pkcs12(BIO *bio, long Py_UNUSED(type), void *Py_UNUSED(arg))
{
    return d2i_PKCS12_bio(bio, NULL);
}

static PyObject *
load_pkcs12(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"buffer", "passphrase", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *buffer_obj, *passphrase = Py_None;
    pyossl_bytes pass;
    const char *pass_str;
    STACK_OF(X509) *ca;
    EVP_PKEY *pkey;
    PKCS12 *p12;
    X509 *cert;
    int ok;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:load_pkcs12",
                                     kwlist, &buffer_obj, &passphrase))
        return NULL;
    if (passphrase_arg(passphrase, &pass) < 0)
        return NULL;
    p12 = crypto_load_object(st, buffer_obj, CRYPTO_FILETYPE_ASN1,
                             read_pkcs12, NULL);
    if (p12 == NULL) {
        pyossl_bytes_release(&pass);
        return NULL;
    }

    /* None and an empty passphrase both go to OpenSSL as NULL, which
     * tries "no password" and then "empty password" (as pyOpenSSL 23.0).
     * The bytes object is NUL-terminated and has no NUL inside. */
    pass_str = pass.len > 0 ? pass.data : NULL;
    Py_BEGIN_ALLOW_THREADS
    ok = p12_parse(p12, pass_str, NULL, &pkey, &cert, &ca);
    Py_END_ALLOW_THREADS
    if (!ok && error_is_unavailable_algorithm()) {
        OSSL_LIB_CTX *libctx;
        ERR_set_mark();
        libctx = legacy_libctx(st);
        if (libctx == NULL) {
            ERR_pop_to_mark();
            PKCS12_free(p12);
            pyossl_bytes_release(&pass);
            return raise_legacy_unavailable(st);
        }
        pyossl_clear_errors();
        Py_BEGIN_ALLOW_THREADS
        ok = p12_parse(p12, pass_str, libctx, &pkey, &cert, &ca);
        Py_END_ALLOW_THREADS
    }
    PKCS12_free(p12);
    pyossl_bytes_release(&pass);
    if (!ok)
        return CRYPTO_RAISE(st);
    /* Whatever OpenSSL left behind on success is of no interest. */
    pyossl_clear_errors();
    return pkcs12_from_parts(st, pkey, cert, ca);
}

PyMethodDef crypto_pkcs12_methods[] = {
    {"load_pkcs12", (PyCFunction)(void (*)(void))load_pkcs12,
     METH_VARARGS | METH_KEYWORDS, load_pkcs12_doc},
    {NULL, NULL, 0, NULL}
};
