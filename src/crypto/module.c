/*
 * module.c -- OpenSSL.crypto: module definition, state, constants and the
 * C API capsule.
 *
 * The module uses multi-phase initialisation. Its exec step runs a series of
 * small steps (exceptions, types, functions, constants, aliases, the
 * capsule), each of which checks every return value; a failure leaves the
 * half-built module to be freed by the interpreter, which calls
 * crypto_clear() on the state.
 */
#include "crypto.h"

PyObject *
crypto_wrong_type(crypto_state *st, const char *what, PyObject *got)
{
    PyErr_Format(st->TypeAttributeError, "%s, not %.100s", what,
                 Py_TYPE(got)->tp_name);
    return NULL;
}

PyObject *
crypto_copy_finish(PyObject *self, PyObject *copy)
{
    PyObject *dict, *dup;
    int rc;

    if (copy == NULL)
        return NULL;
    /* Instances of our base types have no __dict__ except X509Name's;
     * subclass instances may have one, wherever the interpreter keeps it. */
    if (Py_TYPE(self)->tp_dictoffset == 0)
        return copy;
    dict = PyObject_GenericGetDict(self, NULL);
    if (dict == NULL)
        goto fail;
    dup = PyDict_Copy(dict);
    Py_DECREF(dict);
    if (dup == NULL)
        goto fail;
    rc = PyObject_GenericSetDict(copy, dup, NULL);
    Py_DECREF(dup);
    if (rc < 0)
        goto fail;
    return copy;

fail:
    Py_DECREF(copy);
    return NULL;
}

/* ------------------------------------------------------------------------
 * Module-level functions that belong to no type
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(crypto_exception_from_error_queue_doc,
"_exception_from_error_queue(exception_type=None)\n--\n\n"
"Raise crypto.Error built from (and draining) the OpenSSL error queue:\n"
"Error(list of (lib, func, reason) triples), Error([]) if it is empty.\n"
"Another exception class may be given instead of Error.\n\n"
"pyOpenSSL 0.13's helper took no argument; the one that pyOpenSSL 23 and\n"
"later import into this module takes the exception class, so both calls\n"
"work.");

static PyObject *
crypto_exception_from_error_queue(PyObject *module, PyObject *args,
                                  PyObject *kwargs)
{
    static char *kwlist[] = {"exception_type", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *exc_type = st->Error;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs,
                                     "|O:_exception_from_error_queue",
                                     kwlist, &exc_type))
        return NULL;
    if (exc_type == Py_None)
        exc_type = st->Error;
    if (!PyExceptionClass_Check(exc_type)) {
        PyErr_SetString(PyExc_TypeError,
                        "exception_type must be an exception class");
        return NULL;
    }
    return pyossl_raise_error_queue(exc_type);
}

PyDoc_STRVAR(crypto_verify_cert_error_string_doc,
"X509_verify_cert_error_string(errnum)\n--\n\n"
"Return OpenSSL's text (str) for an X509_V_* verification error code.");

static PyObject *
crypto_verify_cert_error_string(PyObject *module, PyObject *args,
                                PyObject *kwargs)
{
    static char *kwlist[] = {"errnum", NULL};
    long errnum;
    (void)module;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs,
                                     "O&:X509_verify_cert_error_string",
                                     kwlist, pyossl_long_converter, &errnum))
        return NULL;
    return PyUnicode_FromString(X509_verify_cert_error_string(errnum));
}

static PyMethodDef crypto_module_methods[] = {
    {"_exception_from_error_queue",
     (PyCFunction)(void (*)(void))crypto_exception_from_error_queue,
     METH_VARARGS | METH_KEYWORDS, crypto_exception_from_error_queue_doc},
    {"X509_verify_cert_error_string",
     (PyCFunction)(void (*)(void))crypto_verify_cert_error_string,
     METH_VARARGS | METH_KEYWORDS, crypto_verify_cert_error_string_doc},
    {NULL, NULL, 0, NULL}
};

/* ------------------------------------------------------------------------
 * Exec steps
 * --------------------------------------------------------------------- */

/* A new exception class `qualname` deriving from both `a` and `b`; new
 * reference or NULL. */
static PyObject *
new_exception_of_two(const char *qualname, const char *doc, PyObject *a,
                     PyObject *b)
{
    PyObject *bases, *exc;

    bases = PyTuple_Pack(2, a, b);
    if (bases == NULL)
        return NULL;
    exc = pyossl_new_exception(qualname, doc, bases);
    Py_DECREF(bases);
    return exc;
}

static int
add_exceptions(PyObject *module, crypto_state *st)
{
    st->Error = pyossl_new_exception(
        "OpenSSL.crypto.Error",
        "An error occurred in an `OpenSSL.crypto` API.\n\n"
        "When raised from the OpenSSL error queue, args[0] is a list of\n"
        "(lib, func, reason) str triples.", NULL);
    if (st->Error == NULL)
        return -1;
    if (PyModule_AddObjectRef(module, "Error", st->Error) < 0)
        return -1;

    /* X509StoreContextError is made by x509storectx.c, with its types. */

    /* Classes for the places where pyOpenSSL versions disagree on the
     * exception class (API.md 3.1 rule 3): they derive from both. */
    st->TypeAttributeError = new_exception_of_two(
        "OpenSSL.crypto.TypeAttributeError",
        "Wrong argument type: both a TypeError (pyOpenSSL 0.13) and an\n"
        "AttributeError (pyOpenSSL 23 and later).",
        PyExc_TypeError, PyExc_AttributeError);
    if (st->TypeAttributeError == NULL)
        return -1;
    st->TypeValueError = new_exception_of_two(
        "OpenSSL.crypto.TypeValueError",
        "Both a TypeError and a ValueError, where pyOpenSSL versions\n"
        "disagree.", PyExc_TypeError, PyExc_ValueError);
    if (st->TypeValueError == NULL)
        return -1;
    st->ErrorValueError = new_exception_of_two(
        "OpenSSL.crypto.ErrorValueError",
        "Both a crypto.Error (pyOpenSSL 0.13) and a ValueError (pyOpenSSL\n"
        "23 and later).", st->Error, PyExc_ValueError);
    if (st->ErrorValueError == NULL)
        return -1;
    return 0;
}

static int
add_types(PyObject *module, crypto_state *st)
{
    if (crypto_pkey_register(module, st) < 0 ||
        crypto_x509name_register(module, st) < 0 ||
        crypto_x509_register(module, st) < 0 ||
        crypto_x509ext_register(module, st) < 0 ||
        crypto_x509store_register(module, st) < 0 ||
        crypto_x509storectx_register(module, st) < 0 ||
        crypto_x509req_register(module, st) < 0 ||
        crypto_crl_register(module, st) < 0 ||
        crypto_revoked_register(module, st) < 0 ||
        crypto_pkcs7_register(module, st) < 0 ||
        crypto_pkcs12_register(module, st) < 0 ||
        crypto_spki_register(module, st) < 0 ||
        crypto_ecurve_register(module, st) < 0)
        return -1;
    return 0;
}

static int
add_functions(PyObject *module)
{
    if (PyModule_AddFunctions(module, crypto_module_methods) < 0 ||
        PyModule_AddFunctions(module, crypto_load_dump_methods) < 0 ||
        PyModule_AddFunctions(module, crypto_x509req_methods) < 0 ||
        PyModule_AddFunctions(module, crypto_crl_methods) < 0 ||
        PyModule_AddFunctions(module, crypto_ecurve_methods) < 0 ||
        PyModule_AddFunctions(module, crypto_pkcs7_methods) < 0 ||
        PyModule_AddFunctions(module, crypto_pkcs12_methods) < 0 ||
        PyModule_AddFunctions(module, crypto_sign_methods) < 0)
        return -1;
    return 0;
}

static int
add_constants(PyObject *module)
{
    if (PyModule_AddIntConstant(module, "FILETYPE_PEM",
                                CRYPTO_FILETYPE_PEM) < 0 ||
        PyModule_AddIntConstant(module, "FILETYPE_ASN1",
                                CRYPTO_FILETYPE_ASN1) < 0 ||
        PyModule_AddIntConstant(module, "FILETYPE_TEXT",
                                CRYPTO_FILETYPE_TEXT) < 0 ||
        PyModule_AddIntConstant(module, "TYPE_RSA", EVP_PKEY_RSA) < 0 ||
        PyModule_AddIntConstant(module, "TYPE_DSA", EVP_PKEY_DSA) < 0 ||
        PyModule_AddIntConstant(module, "TYPE_DH", EVP_PKEY_DH) < 0 ||
        PyModule_AddIntConstant(module, "TYPE_EC", EVP_PKEY_EC) < 0)
        return -1;
    return 0;
}

/* pyOpenSSL's X509StoreFlags: a plain class of int constants. */
static int
add_store_flags(PyObject *module)
{
    static const char *const names[] = {
        "CRL_CHECK", "CRL_CHECK_ALL", "IGNORE_CRITICAL", "X509_STRICT",
        "ALLOW_PROXY_CERTS", "POLICY_CHECK", "EXPLICIT_POLICY",
        "INHIBIT_MAP", "NOTIFY_POLICY", "CHECK_SS_SIGNATURE",
        "PARTIAL_CHAIN", NULL
    };
    static const long values[] = {
        X509_V_FLAG_CRL_CHECK, X509_V_FLAG_CRL_CHECK_ALL,
        X509_V_FLAG_IGNORE_CRITICAL, X509_V_FLAG_X509_STRICT,
        X509_V_FLAG_ALLOW_PROXY_CERTS, X509_V_FLAG_POLICY_CHECK,
        X509_V_FLAG_EXPLICIT_POLICY, X509_V_FLAG_INHIBIT_MAP,
        X509_V_FLAG_NOTIFY_POLICY, X509_V_FLAG_CHECK_SS_SIGNATURE,
        X509_V_FLAG_PARTIAL_CHAIN
    };
    return pyossl_add_constant_class(
        module, "OpenSSL.crypto", "X509StoreFlags",
        "Flags for X509 verification, used to change the behavior of\n"
        ":class:`X509Store`.\n\n"
        "See the X509_V_FLAG_* flags of X509_VERIFY_PARAM_set_flags(3).",
        names, values);
}

/* The legacy *Type aliases of pyOpenSSL 0.13 (API.md 3.3). */
static int
add_aliases(PyObject *module, crypto_state *st)
{
    static const struct { const char *alias; size_t offset; } aliases[] = {
        {"X509Type", offsetof(crypto_state, X509_Type)},
        {"X509NameType", offsetof(crypto_state, X509Name_Type)},
        {"X509ReqType", offsetof(crypto_state, X509Req_Type)},
        {"X509StoreType", offsetof(crypto_state, X509Store_Type)},
        {"X509ExtensionType", offsetof(crypto_state, X509Extension_Type)},
        {"PKeyType", offsetof(crypto_state, PKey_Type)},
        {"PKCS7Type", offsetof(crypto_state, PKCS7_Type)},
        {"PKCS12Type", offsetof(crypto_state, PKCS12_Type)},
        {"NetscapeSPKIType", offsetof(crypto_state, NetscapeSPKI_Type)},
    };
    size_t i;

    for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        PyObject *type = *(PyObject **)((char *)st + aliases[i].offset);
        if (type == NULL)
            continue;
        if (PyModule_AddObjectRef(module, aliases[i].alias, type) < 0)
            return -1;
    }
    return 0;
}

/* __all__: the union of pyOpenSSL 23.0.0's and 26.4.0's lists plus every
 * public name of 0.13's module (API.md 3.3). */
static int
add_all(PyObject *module)
{
    static const char *const names[] = {
        "Error", "FILETYPE_ASN1", "FILETYPE_PEM", "FILETYPE_TEXT",
        "TYPE_DSA", "TYPE_RSA",     /* TYPE_DH, TYPE_EC: in no __all__ */
        "X509", "X509Name", "X509Req", "X509Extension", "X509Store",
        "X509StoreFlags", "X509StoreContext", "X509StoreContextError",
        "PKey", "PKCS7", "PKCS12", "NetscapeSPKI", "CRL", "Revoked",
        "X509Type", "X509NameType", "X509ReqType", "X509StoreType",
        "X509ExtensionType", "PKeyType", "PKCS7Type", "PKCS12Type",
        "NetscapeSPKIType",
        "load_certificate", "dump_certificate", "load_privatekey",
        "dump_privatekey", "load_publickey", "dump_publickey",
        "load_certificate_request", "dump_certificate_request",
        "load_crl", "dump_crl", "load_pkcs7_data", "load_pkcs12",
        "sign", "verify", "get_elliptic_curve", "get_elliptic_curves",
        "X509_verify_cert_error_string", NULL
    };
    PyObject *all = PyList_New(0);
    size_t i;

    if (all == NULL)
        return -1;
    for (i = 0; names[i] != NULL; i++) {
        PyObject *s;
        int present = PyObject_HasAttrString(module, names[i]);
        if (!present)
            continue;
        s = PyUnicode_FromString(names[i]);
        if (s == NULL || PyList_Append(all, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(all);
            return -1;
        }
        Py_DECREF(s);
    }
    return pyossl_module_add(module, "__all__", all);
}

/* Defined in capi.c: fills st->capi. */
void crypto_capi_init(crypto_state *st);

static int
add_capsule(PyObject *module, crypto_state *st)
{
    crypto_capi_init(st);
    return pyossl_module_add(
        module, "_C_API",
        PyCapsule_New(&st->capi, PYOSSL_CRYPTO_CAPI_NAME, NULL));
}

static int
crypto_exec(PyObject *module)
{
    crypto_state *st = PyModule_GetState(module);

    if (pyossl_check_openssl_runtime() < 0 ||
        add_exceptions(module, st) < 0 ||
        add_types(module, st) < 0 ||
        add_functions(module) < 0 ||
        add_constants(module) < 0 ||
        add_store_flags(module) < 0 ||
        add_aliases(module, st) < 0 ||
        add_all(module) < 0 ||
        add_capsule(module, st) < 0)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------------
 * State lifetime
 * --------------------------------------------------------------------- */

#define CRYPTO_STATE_FIELDS(X)                                               \
    X(X509_Type) X(X509Name_Type) X(X509Extension_Type) X(X509Req_Type)      \
    X(X509Store_Type) X(X509StoreContext_Type) X(PKey_Type) X(CRL_Type)      \
    X(Revoked_Type) X(PKCS7_Type) X(PKCS12_Type) X(NetscapeSPKI_Type)        \
    X(EllipticCurve_Type) X(Error) X(X509StoreContextError)                  \
    X(TypeAttributeError) X(TypeValueError) X(ErrorValueError) X(curves)     \
    X(curves_by_name)

static int
crypto_traverse(PyObject *module, visitproc visit, void *arg)
{
    crypto_state *st = PyModule_GetState(module);
#define VISIT(f) Py_VISIT(st->f);
    CRYPTO_STATE_FIELDS(VISIT)
#undef VISIT
    return 0;
}

static int
crypto_clear(PyObject *module)
{
    crypto_state *st = PyModule_GetState(module);
#define CLEAR(f) Py_CLEAR(st->f);
    CRYPTO_STATE_FIELDS(CLEAR)
#undef CLEAR
    return 0;
}

static void
crypto_free(void *module)
{
    crypto_clear((PyObject *)module);
    /* Not in crypto_clear: a call running without the GIL may still use
     * the library context until the module itself goes away. */
    crypto_pkcs12_free_state(PyModule_GetState((PyObject *)module));
}

static PyModuleDef_Slot crypto_slots[] = {
    {Py_mod_exec, crypto_exec},
    {0, NULL}
};

PyDoc_STRVAR(crypto_module_doc,
"Main file of crypto sub module.\n\n"
"Certificates, keys, names, stores and the rest of X.509, implemented in C\n"
"on OpenSSL 3 (pyOpenSSL's OpenSSL.crypto API, from 0.13 to 26.4).");

PyModuleDef crypto_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "OpenSSL.crypto",
    .m_doc = crypto_module_doc,
    .m_size = sizeof(crypto_state),
    .m_slots = crypto_slots,
    .m_traverse = crypto_traverse,
    .m_clear = crypto_clear,
    .m_free = crypto_free,
};

PyMODINIT_FUNC
PyInit_crypto(void)
{
    return PyModuleDef_Init(&crypto_module_def);
}
