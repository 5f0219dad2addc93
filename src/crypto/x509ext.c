/*
 * x509ext.c -- OpenSSL.crypto.X509Extension, an X.509 v3 extension.
 *
 * An extension is built from OpenSSL's configuration syntax
 * (X509Extension(b"basicConstraints", True, b"CA:TRUE")) with
 * X509V3_EXT_nconf(), as pyOpenSSL 23.0 does, or copied out of a
 * certificate (X509.get_extension). Every object owns its X509_EXTENSION.
 *
 * The constructor does its work in __init__ (tp_init), as pyOpenSSL 23's
 * Python class does, so that subclasses may define their own __init__ with
 * any signature and call X509Extension.__init__ from it. Until __init__
 * has run, the object holds an empty placeholder extension (no OID, no
 * data): `ext` is never NULL.
 *
 * str(ext) is OpenSSL's X509V3_EXT_print() text, except for
 * subjectAltName, whose email, DNS and URI entries are printed with their
 * full length, embedded NUL bytes included (the 2013 fix known as
 * CVE-2013-4314: a truncated 'good.example\0.evil' must not look like
 * 'good.example').
 */
#include "crypto.h"

/* ------------------------------------------------------------------------
 * Construction and access
 * --------------------------------------------------------------------- */

/* A new instance of `type` owning `ext` (consumed, even on failure). */
static PyObject *
x509ext_wrap_type(PyTypeObject *type, X509_EXTENSION *ext)
{
    X509ExtensionObject *self =
        (X509ExtensionObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        X509_EXTENSION_free(ext);
        return NULL;
    }
    self->ext = ext;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

PyObject *
crypto_x509ext_from_ptr(crypto_state *st, const X509_EXTENSION *ext)
{
    X509_EXTENSION *copy = X509_EXTENSION_dup(ext);
    if (copy == NULL)
        return CRYPTO_RAISE(st);
    return x509ext_wrap_type(st->X509Extension_Type, copy);
}

/* tp_new: an object holding an empty placeholder extension; the arguments
 * are for __init__. */
static PyObject *
x509ext_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    X509_EXTENSION *ext;
    (void)args;
    (void)kwargs;

    ext = X509_EXTENSION_new();
    if (ext == NULL) {
        crypto_state *st = crypto_state_of_type(type);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    return x509ext_wrap_type(type, ext);
}

/* A view of a bytes argument (bytes objects are NUL-terminated) for
 * OpenSSL's C-string APIs: TypeError for anything but bytes, ValueError
 * for an embedded NUL (OpenSSL would silently stop there: pyOpenSSL 23
 * turned b"DNS:good.example\0.evil" into DNS:good.example). 0 or -1;
 * release `out` with pyossl_bytes_release() after success. */
static int
c_string_arg(PyObject *obj, const char *what, pyossl_bytes *out)
{
    if (pyossl_bytes_strict(obj, what, out) < 0)
        return -1;
    if ((size_t)out->len != strlen(out->data)) {
        pyossl_bytes_release(out);
        PyErr_Format(PyExc_ValueError, "%s must not contain a NUL byte",
                     what);
        return -1;
    }
    if (out->len > INT_MAX - 16) {
        pyossl_bytes_release(out);
        PyErr_Format(PyExc_ValueError, "%s is too long", what);
        return -1;
    }
    return 0;
}

/* X509V3_EXT_nconf() with no configuration database, the subject and
 * issuer certificates (either may be NULL) in the context, and the value
 * prefixed by "critical," when `critical`. New extension, or NULL with
 * Error (or MemoryError). */
static X509_EXTENSION *
build_extension(crypto_state *st, const char *name, const char *value,
                Py_ssize_t value_len, int critical, X509 *subject,
                X509 *issuer)
{
    static const char prefix[] = "critical,";
    X509V3_CTX ctx;
    X509_EXTENSION *ext;
    char *buf = NULL;

    if (critical) {
        size_t n = sizeof(prefix) - 1;
        buf = PyMem_Malloc(n + (size_t)value_len + 1);
        if (buf == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        memcpy(buf, prefix, n);
        memcpy(buf + n, value, (size_t)value_len + 1);
        value = buf;
    }
    /* A context is needed by every extension with an r2i method (it would
     * crash without one); the certificates are only read. */
    memset(&ctx, 0, sizeof(ctx));
    X509V3_set_ctx(&ctx, issuer, subject, NULL, NULL, 0);
    X509V3_set_ctx_nodb(&ctx);
    ext = X509V3_EXT_nconf(NULL, &ctx, name, value);
    PyMem_Free(buf);
    if (ext == NULL)
        CRYPTO_RAISE(st);
    return ext;
}

/* An optional X509 argument: NULL for None, else the (borrowed) X509. */
static int
optional_x509(crypto_state *st, PyObject *obj, const char *what, X509 **out)
{
    *out = NULL;
    if (obj == NULL || obj == Py_None)
        return 0;
    *out = crypto_x509_ptr(st, obj, what);
    return *out == NULL ? -1 : 0;
}

static int
x509ext_init(X509ExtensionObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type_name", "critical", "value", "subject",
                             "issuer", NULL};
    PyObject *type_name, *critical_obj, *value, *subject_obj = NULL,
             *issuer_obj = NULL;
    pyossl_bytes name_b, value_b;
    X509 *subject, *issuer;
    X509_EXTENSION *ext;
    int critical;
    crypto_state *st = crypto_state_of((PyObject *)self);

    if (st == NULL)
        return -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO|OO:X509Extension",
                                     kwlist, &type_name, &critical_obj,
                                     &value, &subject_obj, &issuer_obj))
        return -1;
    /* The order of the checks is pyOpenSSL 23's. */
    if (optional_x509(st, issuer_obj, "issuer", &issuer) < 0 ||
        optional_x509(st, subject_obj, "subject", &subject) < 0)
        return -1;
    critical = PyObject_IsTrue(critical_obj);
    if (critical < 0)
        return -1;
    if (c_string_arg(type_name, "type_name", &name_b) < 0)
        return -1;
    if (c_string_arg(value, "value", &value_b) < 0) {
        pyossl_bytes_release(&name_b);
        return -1;
    }
    ext = build_extension(st, name_b.data, value_b.data, value_b.len,
                          critical, subject, issuer);
    pyossl_bytes_release(&name_b);
    pyossl_bytes_release(&value_b);
    if (ext == NULL)
        return -1;
    X509_EXTENSION_free(self->ext);
    self->ext = ext;
    return 0;
}

static void
x509ext_dealloc(X509ExtensionObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    X509_EXTENSION_free(self->ext);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* ------------------------------------------------------------------------
 * Accessors
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509ext_get_critical_doc,
"get_critical($self, /)\n--\n\n"
"Returns the critical field of this X.509 extension (an int, 0 or 1).");

static PyObject *
x509ext_get_critical(X509ExtensionObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(X509_EXTENSION_get_critical(self->ext));
}

PyDoc_STRVAR(x509ext_get_short_name_doc,
"get_short_name($self, /)\n--\n\n"
"Returns the short type name of this X.509 extension, as bytes such as\n"
"b'basicConstraints' (b'UNDEF' for an extension OpenSSL does not know).");

static PyObject *
x509ext_get_short_name(X509ExtensionObject *self,
                       PyObject *Py_UNUSED(ignored))
{
    int nid = OBJ_obj2nid(X509_EXTENSION_get_object(self->ext));
    const char *sn = OBJ_nid2sn(nid);
    pyossl_clear_errors();
    if (sn == NULL)
        sn = SN_undef;
    return PyBytes_FromString(sn);
}

PyDoc_STRVAR(x509ext_get_data_doc,
"get_data($self, /)\n--\n\n"
"Returns the data of the X509 extension, encoded as ASN.1 (the DER\n"
"contents of the extension's OCTET STRING), as bytes.");

static PyObject *
x509ext_get_data(X509ExtensionObject *self, PyObject *Py_UNUSED(ignored))
{
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(self->ext);
    if (data == NULL)
        return PyBytes_FromStringAndSize(NULL, 0);
    return PyBytes_FromStringAndSize(
        (const char *)ASN1_STRING_get0_data(data), ASN1_STRING_length(data));
}

PyDoc_STRVAR(x509ext___copy___doc,
"__copy__($self, /)\n--\n\n"
"An independent copy (copy.copy() works, as with pyOpenSSL 23's class);\n"
"the instance attributes of a subclass are copied shallowly.");

static PyObject *
x509ext___copy__(X509ExtensionObject *self, PyObject *Py_UNUSED(ignored))
{
    X509_EXTENSION *ext;
    crypto_state *st = crypto_state_of((PyObject *)self);

    if (st == NULL)
        return NULL;
    /* The placeholder of an object whose __init__ never ran has no OID,
     * which does not encode: copy it as a new placeholder. */
    if (OBJ_length(X509_EXTENSION_get_object(self->ext)) == 0)
        ext = X509_EXTENSION_new();
    else
        ext = X509_EXTENSION_dup(self->ext);
    if (ext == NULL)
        return CRYPTO_RAISE(st);
    return crypto_copy_finish((PyObject *)self,
                              x509ext_wrap_type(Py_TYPE(self), ext));
}

/* ------------------------------------------------------------------------
 * Text
 * --------------------------------------------------------------------- */

/* Append the subjectAltName entries to `bio` the way pyOpenSSL 23.0 does:
 * 'email:', 'DNS:' and 'URI:' entries with their full contents, others
 * with GENERAL_NAME_print(), joined by ', '. 1 on success, 0 if the
 * extension does not decode (with the queue cleared), -1 on a write
 * failure (queue left for the caller). */
static int
print_subject_alt_name(BIO *bio, X509_EXTENSION *ext)
{
    GENERAL_NAMES *names = X509V3_EXT_d2i(ext);
    int i, n, ok = 1;

    if (names == NULL) {
        pyossl_clear_errors();
        return 0;
    }
    n = sk_GENERAL_NAME_num(names);
    for (i = 0; i < n && ok == 1; i++) {
        GENERAL_NAME *gen = sk_GENERAL_NAME_value(names, i);
        const char *label = NULL;
        int type;
        void *value = GENERAL_NAME_get0_value(gen, &type);

        if (i > 0 && BIO_puts(bio, ", ") != 2) {
            ok = -1;
            break;
        }
        switch (type) {
        case GEN_EMAIL: label = "email:"; break;
        case GEN_DNS: label = "DNS:"; break;
        case GEN_URI: label = "URI:"; break;
        default: break;
        }
        if (label != NULL) {
            const ASN1_IA5STRING *ia5 = value;
            int len = ASN1_STRING_length(ia5);
            if (BIO_puts(bio, label) != (int)strlen(label) ||
                (len > 0 && BIO_write(bio, ASN1_STRING_get0_data(ia5), len)
                                != len))
                ok = -1;
        } else if (GENERAL_NAME_print(bio, gen) != 1) {
            ok = -1;
        }
    }
    GENERAL_NAMES_free(names);
    return ok;
}

/* Append OpenSSL's rendering of the extension value to `bio`, as
 * X509_print_ex() does: X509V3_EXT_print(), or the raw value printed with
 * ASN1_STRING_print() if OpenSSL cannot print the extension (an unknown
 * type, or data that does not decode). 1 or 0 (queue set). */
static int
print_generic(BIO *bio, X509_EXTENSION *ext)
{
    if (X509V3_EXT_print(bio, ext, 0, 0) == 1)
        return 1;
    pyossl_clear_errors();
    return ASN1_STRING_print(bio, X509_EXTENSION_get_data(ext)) == 1;
}

static PyObject *
x509ext_str(X509ExtensionObject *self)
{
    BIO *bio;
    char *data = NULL;
    long len;
    int ok = 0;
    PyObject *result;
    crypto_state *st = crypto_state_of((PyObject *)self);

    if (st == NULL)
        return NULL;
    bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return CRYPTO_RAISE(st);
    if (OBJ_obj2nid(X509_EXTENSION_get_object(self->ext)) ==
            NID_subject_alt_name)
        ok = print_subject_alt_name(bio, self->ext);
    if (ok == 0)
        ok = print_generic(bio, self->ext);
    if (ok != 1) {
        BIO_free(bio);
        return CRYPTO_RAISE(st);
    }
    len = BIO_get_mem_data(bio, &data);
    if (len < 0 || len > PY_SSIZE_T_MAX)
        len = 0;
    /* Strict UTF-8, as pyOpenSSL: non-UTF-8 bytes in a name raise
     * UnicodeDecodeError (a ValueError). */
    result = PyUnicode_DecodeUTF8(data, (Py_ssize_t)len, "strict");
    BIO_free(bio);
    pyossl_clear_errors();
    return result;
}

/* ------------------------------------------------------------------------
 * Type
 * --------------------------------------------------------------------- */

#define METH_NO(name) \
    {#name, (PyCFunction)x509ext_##name, METH_NOARGS, x509ext_##name##_doc}

static PyMethodDef x509ext_methods[] = {
    METH_NO(get_critical),
    METH_NO(get_short_name),
    METH_NO(get_data),
    METH_NO(__copy__),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef x509ext_members[] = {
    {"__weaklistoffset__", T_PYSSIZET,
     offsetof(X509ExtensionObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(x509ext_doc,
"X509Extension(type_name, critical, value, subject=None, issuer=None)\n"
"--\n\n"
"An X.509 v3 certificate extension.\n\n"
":param type_name: The name of the type of extension to create, as bytes\n"
"    (b'basicConstraints', b'subjectAltName', ...).\n"
":param critical: A flag indicating whether this is a critical extension\n"
"    (any truthy value).\n"
":param value: The OpenSSL textual representation of the extension's\n"
"    value, as bytes (b'CA:TRUE', b'DNS:example.com', ...).\n"
":param subject: Optional X509 certificate to use as subject (needed by\n"
"    e.g. subjectKeyIdentifier = hash).\n"
":param issuer: Optional X509 certificate to use as issuer (needed by\n"
"    e.g. authorityKeyIdentifier).\n"
":raises TypeError: if type_name or value is not bytes, or subject or\n"
"    issuer is neither None nor an X509.\n"
":raises ValueError: if type_name or value contains a NUL byte.\n"
":raises Error: for an unknown extension name or an invalid value.");

static PyType_Slot x509ext_slots[] = {
    {Py_tp_doc, (void *)x509ext_doc},
    {Py_tp_new, x509ext_new},
    {Py_tp_init, x509ext_init},
    {Py_tp_dealloc, x509ext_dealloc},
    {Py_tp_str, x509ext_str},
    {Py_tp_methods, x509ext_methods},
    {Py_tp_members, x509ext_members},
    {0, NULL}
};

static PyType_Spec x509ext_spec = {
    .name = "OpenSSL.crypto.X509Extension",
    .basicsize = sizeof(X509ExtensionObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = x509ext_slots,
};

int
crypto_x509ext_register(PyObject *module, crypto_state *st)
{
    st->X509Extension_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &x509ext_spec, NULL);
    if (st->X509Extension_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "X509Extension",
                                 (PyObject *)st->X509Extension_Type);
}
