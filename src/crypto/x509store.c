/*
 * x509store.c -- OpenSSL.crypto.X509Store, a set of trusted certificates,
 * CRLs and verification parameters (an X509_STORE).
 *
 * An X509Store either owns a store it created (X509Store()), or wraps the
 * store of an SSL Context (Context.get_cert_store(), through
 * crypto_x509store_from_ptr). In the second case it holds a reference to the
 * store *and* to the Context (`owner`), so the Context outlives every
 * X509Store handed out for it.
 *
 * None of the methods releases the GIL: an X509_STORE's certificate list is
 * locked by OpenSSL, but its lookup methods and verification parameters are
 * not, and holding the GIL is what keeps two Python threads from changing
 * them at the same time.
 */
#include "crypto.h"

/* ------------------------------------------------------------------------
 * Construction and lifetime
 * --------------------------------------------------------------------- */

/* A new instance of `type` holding `store` (reference consumed, even on
 * failure) and a new reference to `owner` (may be NULL). */
static PyObject *
x509store_wrap_type(PyTypeObject *type, X509_STORE *store, PyObject *owner)
{
    X509StoreObject *self = (X509StoreObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        X509_STORE_free(store);
        return NULL;
    }
    self->store = store;
    self->owner = Py_XNewRef(owner);
    self->weakreflist = NULL;
    return (PyObject *)self;
}

PyObject *
crypto_x509store_from_ptr(crypto_state *st, X509_STORE *store,
                          PyObject *owner)
{
    if (store == NULL) {
        PyErr_SetString(PyExc_ValueError, "no certificate store");
        return NULL;
    }
    if (!X509_STORE_up_ref(store))
        return CRYPTO_RAISE(st);
    return x509store_wrap_type(st->X509Store_Type, store, owner);
}

/* The store is made in tp_new, so that it exists even when a subclass's
 * __init__ does not call ours; tp_init only checks the (absent)
 * arguments. */
static PyObject *
x509store_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    X509_STORE *store;
    (void)args;
    (void)kwargs;

    store = X509_STORE_new();
    if (store == NULL) {
        crypto_state *st = crypto_state_of_type(type);
        return st ? CRYPTO_RAISE(st) : NULL;
    }
    return x509store_wrap_type(type, store, NULL);
}

PYOSSL_NO_ARGUMENTS_INIT(x509store_init, "X509Store")

static int
x509store_traverse(X509StoreObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->owner);
    return 0;
}

static int
x509store_clear(X509StoreObject *self)
{
    /* The store itself stays until dealloc: the owner's SSL_CTX holds its
     * own reference, so dropping ours early gains nothing. */
    Py_CLEAR(self->owner);
    return 0;
}

static void
x509store_dealloc(X509StoreObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    X509_STORE_free(self->store);
    self->store = NULL;
    x509store_clear(self);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

/* Changes to a store that a Context owns wait for that Context's lock
 * (crypto_capi.h, owner_lock). Only OpenSSL calls go between the two. */
#define STORE_MUTATE_BEGIN(self, st)                                         \
    do {                                                                     \
        int owner_token_ = 0;                                                \
        if ((self)->owner != NULL && (st)->capi.owner_lock != NULL)          \
            owner_token_ = (st)->capi.owner_lock((self)->owner);
#define STORE_MUTATE_END(self, st)                                           \
        if ((self)->owner != NULL && (st)->capi.owner_unlock != NULL)        \
            (st)->capi.owner_unlock((self)->owner, owner_token_);            \
    } while (0)

/* ------------------------------------------------------------------------
 * Trusted certificates and CRLs
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509store_add_cert_doc,
"add_cert($self, /, cert)\n--\n\n"
"Adds a trusted certificate to this store.\n\n"
"Adding a certificate with this method adds this certificate as a\n"
"*trusted* certificate. Adding a certificate that is already in the\n"
"store is not an error.\n\n"
":param X509 cert: The certificate to add to this store.\n"
":raises TypeError: If the certificate is not an :class:`X509`.\n"
":raises OpenSSL.crypto.Error: If OpenSSL was unhappy with your\n"
"    certificate.\n"
":return: ``None`` if the certificate was added successfully.");

static PyObject *
x509store_add_cert(X509StoreObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cert", NULL};
    PyObject *cert;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:add_cert", kwlist,
                                     &cert))
        return NULL;
    if (!PyObject_TypeCheck(cert, st->X509_Type)) {
        /* pyOpenSSL 19 to 26.4 raise a bare TypeError() here. */
        PyErr_SetNone(PyExc_TypeError);
        return NULL;
    }
    STORE_MUTATE_BEGIN(self, st);
    rc = X509_STORE_add_cert(self->store, ((X509Object *)cert)->x509);
    STORE_MUTATE_END(self, st);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

/* A new X509_CRL reference for a pyOpenSSL CRL or a cryptography
 * CertificateRevocationList; NULL with an exception set otherwise. */
static X509_CRL *
crl_from_any(crypto_state *st, PyObject *obj)
{
    const unsigned char *p;
    PyObject *der;
    X509_CRL *crl;

    /* The CRL type may not be registered (crl.c is optional here). */
    if (st->CRL_Type != NULL && PyObject_TypeCheck(obj, st->CRL_Type)) {
        crl = ((CRLObject *)obj)->crl;
        if (crl == NULL) {
            PyErr_SetString(PyExc_ValueError, "the CRL is not initialized");
            return NULL;
        }
        if (!X509_CRL_up_ref(crl))
            return (X509_CRL *)CRYPTO_RAISE(st);
        return crl;
    }
    /* For anything else 26.4's TypeError, and 23.0.0's AttributeError (it
     * read crl._crl): a class deriving from both (API.md 3.1 rule 3). */
    der = crypto_cryptography_der_of(
        obj, "CertificateRevocationList", st->TypeAttributeError,
        "CRL must be of type cryptography.x509.CertificateRevocationList",
        0);
    if (der == NULL)
        return NULL;
    if (PyBytes_GET_SIZE(der) > LONG_MAX) {
        Py_DECREF(der);
        PyErr_SetString(PyExc_OverflowError, "CRL too large");
        return NULL;
    }
    p = (const unsigned char *)PyBytes_AS_STRING(der);
    crl = d2i_X509_CRL(NULL, &p, (long)PyBytes_GET_SIZE(der));
    Py_DECREF(der);
    if (crl == NULL)
        return (X509_CRL *)CRYPTO_RAISE(st);
    return crl;
}

PyDoc_STRVAR(x509store_add_crl_doc,
"add_crl($self, /, crl)\n--\n\n"
"Add a certificate revocation list to this store.\n\n"
"The certificate revocation lists added to a store will only be used if\n"
"the associated flags are configured to check certificate revocation\n"
"lists.\n\n"
":param crl: The certificate revocation list to add to this store: a\n"
"    ``cryptography.x509.CertificateRevocationList`` or a :class:`CRL`.\n"
":raises TypeError: For any other object.\n"
":return: ``None`` if the certificate revocation list was added\n"
"    successfully.");

static PyObject *
x509store_add_crl(X509StoreObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"crl", NULL};
    PyObject *obj;
    X509_CRL *crl;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:add_crl", kwlist,
                                     &obj))
        return NULL;
    crl = crl_from_any(st, obj);
    if (crl == NULL)
        return NULL;
    STORE_MUTATE_BEGIN(self, st);
    rc = X509_STORE_add_crl(self->store, crl);
    STORE_MUTATE_END(self, st);
    X509_CRL_free(crl);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * Verification parameters
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509store_set_flags_doc,
"set_flags($self, /, flags)\n--\n\n"
"Set verification flags to this store.\n\n"
"Verification flags can be combined by oring them together; they are\n"
"added to the flags already set.\n\n"
".. note::\n\n"
"  Setting a verification flag sometimes requires clients to add\n"
"  additional information to the store, otherwise a suitable error will\n"
"  be raised. For example, in setting flags to enable CRL checking a\n"
"  suitable CRL must be added to the store otherwise an error will be\n"
"  raised.\n\n"
":param int flags: The verification flags to set on this store.\n"
"    See :class:`X509StoreFlags` for available constants.\n"
":return: ``None`` if the verification flags were successfully set.");

/* An unsigned long from a Python int with the messages of cffi, which
 * pyOpenSSL hands the value to. 0 or -1. */
static int
unsigned_long_arg(PyObject *obj, unsigned long *out)
{
    long long value;
    int overflow;

    if (!PyLong_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "an integer is required");
        return -1;
    }
    value = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (value == -1 && PyErr_Occurred())
        return -1;
    if (overflow < 0 || (overflow == 0 && value < 0)) {
        PyErr_SetString(PyExc_OverflowError,
                        "can't convert negative number to unsigned");
        return -1;
    }
    if (overflow == 0) {
        *out = (unsigned long)value;
        return 0;
    }
    /* Larger than LLONG_MAX: may still fit an unsigned long. */
    *out = PyLong_AsUnsignedLong(obj);
    if (*out == (unsigned long)-1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError))
            return -1;
        PyErr_Clear();
        PyErr_SetString(PyExc_OverflowError, "int too big to convert");
        return -1;
    }
    return 0;
}

static PyObject *
x509store_set_flags(X509StoreObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"flags", NULL};
    PyObject *obj;
    unsigned long flags;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_flags", kwlist,
                                     &obj))
        return NULL;
    if (unsigned_long_arg(obj, &flags) < 0)
        return NULL;
    STORE_MUTATE_BEGIN(self, st);
    rc = X509_STORE_set_flags(self->store, flags);
    STORE_MUTATE_END(self, st);
    if (rc != 1)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(x509store_set_time_doc,
"set_time($self, /, vfy_time)\n--\n\n"
"Set the time against which the certificates are verified.\n\n"
"Normally the current time is used.\n\n"
".. note::\n\n"
"  For example, you can determine if a certificate was valid at a given\n"
"  time.\n\n"
":param datetime vfy_time: The verification time to set on this store.\n"
"    As in pyOpenSSL, its fields are read with ``timetuple()`` and taken\n"
"    as UTC (``calendar.timegm``). Each call replaces the time set\n"
"    before (pyOpenSSL's second call had no effect).\n"
":return: ``None`` if the verification time was successfully set.");

/* calendar.timegm(obj.timetuple()) as a time_t: the seconds since the epoch
 * pyOpenSSL computes. 0 or -1 with an exception set. */
static int
timegm_of(crypto_state *st, PyObject *obj, time_t *out)
{
    PyObject *tuple, *calendar, *seconds;
    long long value;

    PyObject *method = PyObject_GetAttrString(obj, "timetuple");
    if (method == NULL) {
        if (PyErr_ExceptionMatches(PyExc_AttributeError)) {
            /* 26.4's AttributeError, 0.13-style TypeError: both. */
            PyErr_Clear();
            crypto_wrong_type(st, "vfy_time must be a datetime.datetime",
                              obj);
        }
        return -1;
    }
    tuple = PyObject_CallNoArgs(method);
    Py_DECREF(method);
    if (tuple == NULL)
        return -1;
    calendar = PyImport_ImportModule("calendar");
    if (calendar == NULL) {
        Py_DECREF(tuple);
        return -1;
    }
    seconds = PyObject_CallMethod(calendar, "timegm", "(O)", tuple);
    Py_DECREF(calendar);
    Py_DECREF(tuple);
    if (seconds == NULL)
        return -1;
    if (!PyLong_Check(seconds)) {
        PyErr_Format(PyExc_TypeError,
                     "timegm() returned %.100s, not an int",
                     Py_TYPE(seconds)->tp_name);
        Py_DECREF(seconds);
        return -1;
    }
    value = PyLong_AsLongLong(seconds);
    Py_DECREF(seconds);
    if (value == -1 && PyErr_Occurred())
        return -1;
    if ((long long)(time_t)value != value) {
        PyErr_SetString(PyExc_OverflowError,
                        "vfy_time is out of range for time_t");
        return -1;
    }
    *out = (time_t)value;
    return 0;
}

static PyObject *
x509store_set_time(X509StoreObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"vfy_time", NULL};
    PyObject *vfy_time;
    X509_VERIFY_PARAM *param;
    time_t when;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O:set_time", kwlist,
                                     &vfy_time))
        return NULL;
    if (timegm_of(st, vfy_time, &when) < 0)
        return NULL;
    /* pyOpenSSL merges a new X509_VERIFY_PARAM holding only the time into
     * the store's (X509_STORE_set1_param). That merge never replaces a
     * time already set, so its second set_time() silently changes nothing.
     * Setting the time on the store's own parameters gives the same result
     * the first time, and makes every later call take effect too; the
     * flags set so far stay either way. */
    STORE_MUTATE_BEGIN(self, st);
    param = X509_STORE_get0_param(self->store);
    if (param != NULL)
        X509_VERIFY_PARAM_set_time(param, when);
    STORE_MUTATE_END(self, st);
    if (param == NULL)
        return CRYPTO_RAISE(st);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------
 * Loading trusted certificates from files
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(x509store_load_locations_doc,
"load_locations($self, /, cafile, capath=None)\n--\n\n"
"Let X509Store know where we can find trusted certificates for the\n"
"certificate chain. Note that the certificates have to be in PEM\n"
"format.\n\n"
"If *capath* is passed, it must be a directory prepared using the\n"
"``c_rehash`` tool included with OpenSSL (``openssl rehash``). Either,\n"
"but not both, of *cafile* or *capath* may be ``None``.\n\n"
".. note::\n\n"
"  Both *cafile* and *capath* may be set simultaneously.\n\n"
"  Call this method multiple times to add more than one location.\n"
"  For example, CA certificates, and certificate revocation list bundles\n"
"  may be passed in *cafile* in subsequent calls to this method.\n\n"
":param cafile: In which file we can find the certificates (str, bytes,\n"
"    path-like or None).\n"
":param capath: In which directory we can find the certificates (str,\n"
"    bytes, path-like or None).\n"
":return: ``None`` if the locations were set successfully.\n"
":raises OpenSSL.crypto.Error: If both *cafile* and *capath* is ``None``\n"
"    or the locations could not be set for any reason.");

static PyObject *
x509store_load_locations(X509StoreObject *self, PyObject *args,
                         PyObject *kwargs)
{
    static char *kwlist[] = {"cafile", "capath", NULL};
    PyObject *cafile = NULL, *capath = NULL;
    PyObject *result = NULL;
    int rc;
    CRYPTO_METHOD_STATE(self, st);

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&|O&:load_locations",
                                     kwlist,
                                     pyossl_path_or_none_converter, &cafile,
                                     pyossl_path_or_none_converter, &capath))
        return NULL;
    /* A path with an embedded NUL would name another file. */
    if ((cafile != NULL && (size_t)PyBytes_GET_SIZE(cafile) !=
                           strlen(PyBytes_AS_STRING(cafile))) ||
        (capath != NULL && (size_t)PyBytes_GET_SIZE(capath) !=
                           strlen(PyBytes_AS_STRING(capath)))) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        goto done;
    }
    STORE_MUTATE_BEGIN(self, st);
    rc = X509_STORE_load_locations(
        self->store, cafile ? PyBytes_AS_STRING(cafile) : NULL,
        capath ? PyBytes_AS_STRING(capath) : NULL);
    STORE_MUTATE_END(self, st);
    if (!rc) {
        CRYPTO_RAISE(st);
        goto done;
    }
    /* A successful load may leave notes (e.g. skipped PEM blocks). */
    pyossl_clear_errors();
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(cafile);
    Py_XDECREF(capath);
    return result;
}

/* ------------------------------------------------------------------------
 * Type
 * --------------------------------------------------------------------- */

#define METH_KW(name) \
    {#name, (PyCFunction)(void (*)(void))x509store_##name, \
     METH_VARARGS | METH_KEYWORDS, x509store_##name##_doc}

static PyMethodDef x509store_methods[] = {
    METH_KW(add_cert),
    METH_KW(add_crl),
    METH_KW(set_flags),
    METH_KW(set_time),
    METH_KW(load_locations),
    {NULL, NULL, 0, NULL}
};

static PyMemberDef x509store_members[] = {
    {"__weaklistoffset__", T_PYSSIZET,
     offsetof(X509StoreObject, weakreflist), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

PyDoc_STRVAR(x509store_doc,
"X509Store()\n--\n\n"
"An X.509 store.\n\n"
"An X.509 store is used to describe a context in which to verify a\n"
"certificate. A description of a context may include a set of certificates\n"
"to trust, a set of certificate revocation lists, verification flags and\n"
"more.\n\n"
"An X.509 store, being only a description, cannot be used by itself to\n"
"verify a certificate. To carry out the actual verification process, see\n"
":class:`X509StoreContext`.");

static PyType_Slot x509store_slots[] = {
    {Py_tp_doc, (void *)x509store_doc},
    {Py_tp_new, x509store_new},
    {Py_tp_init, x509store_init},
    {Py_tp_dealloc, x509store_dealloc},
    {Py_tp_traverse, x509store_traverse},
    {Py_tp_clear, x509store_clear},
    {Py_tp_methods, x509store_methods},
    {Py_tp_members, x509store_members},
    {0, NULL}
};

static PyType_Spec x509store_spec = {
    .name = "OpenSSL.crypto.X509Store",
    .basicsize = sizeof(X509StoreObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = x509store_slots,
};

int
crypto_x509store_register(PyObject *module, crypto_state *st)
{
    st->X509Store_Type = (PyTypeObject *)PyType_FromModuleAndSpec(
        module, &x509store_spec, NULL);
    if (st->X509Store_Type == NULL)
        return -1;
    return PyModule_AddObjectRef(module, "X509Store",
                                 (PyObject *)st->X509Store_Type);
}
