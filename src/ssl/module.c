/*
 * module.c -- OpenSSL.SSL: module definition, state, constants, exceptions.
 *
 * Multi-phase initialisation: the exec step imports OpenSSL.crypto and its
 * C API capsule (checking that both come from the same build), then adds
 * exceptions, types, functions and constants in small steps that check
 * every return value.
 */
#include "ssl.h"

/* ------------------------------------------------------------------------
 * Version information
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(ssl_openssl_version_doc,
"OpenSSL_version(type)\n--\n\n"
"Return a string (bytes) describing the version of OpenSSL in use: type\n"
"is one of the OPENSSL_* (or SSLEAY_*) selector constants.");

static PyObject *
ssl_openssl_version(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", NULL};
    long type;
    (void)module;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O&:OpenSSL_version",
                                     kwlist, pyossl_long_converter, &type))
        return NULL;
    if (type < INT_MIN || type > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "type out of range");
        return NULL;
    }
    return PyBytes_FromString(OpenSSL_version((int)type));
}

static PyMethodDef ssl_module_methods[] = {
    {"OpenSSL_version", (PyCFunction)(void (*)(void))ssl_openssl_version,
     METH_VARARGS | METH_KEYWORDS, ssl_openssl_version_doc},
    {NULL, NULL, 0, NULL}
};

/* ------------------------------------------------------------------------
 * Constants
 * --------------------------------------------------------------------- */

typedef struct {
    const char *name;
    unsigned long long value;
} ssl_constant;

static const ssl_constant ssl_constants[] = {
    /* Protocol method selectors: pyOpenSSL's own numbers. */
    {"SSLv2_METHOD", SSLv2_METHOD},
    {"SSLv3_METHOD", SSLv3_METHOD},
    {"SSLv23_METHOD", SSLv23_METHOD},
    {"TLSv1_METHOD", TLSv1_METHOD},
    {"TLSv1_1_METHOD", TLSv1_1_METHOD},
    {"TLSv1_2_METHOD", TLSv1_2_METHOD},
    {"TLS_METHOD", TLS_METHOD},
    {"TLS_SERVER_METHOD", TLS_SERVER_METHOD},
    {"TLS_CLIENT_METHOD", TLS_CLIENT_METHOD},
    {"DTLS_METHOD", DTLS_METHOD},
    {"DTLS_SERVER_METHOD", DTLS_SERVER_METHOD},
    {"DTLS_CLIENT_METHOD", DTLS_CLIENT_METHOD},
    /* Protocol versions. */
    {"SSL3_VERSION", SSL3_VERSION},
    {"TLS1_VERSION", TLS1_VERSION},
    {"TLS1_1_VERSION", TLS1_1_VERSION},
    {"TLS1_2_VERSION", TLS1_2_VERSION},
    {"TLS1_3_VERSION", TLS1_3_VERSION},
    /* Verify modes. */
    {"VERIFY_NONE", SSL_VERIFY_NONE},
    {"VERIFY_PEER", SSL_VERIFY_PEER},
    {"VERIFY_FAIL_IF_NO_PEER_CERT", SSL_VERIFY_FAIL_IF_NO_PEER_CERT},
    {"VERIFY_CLIENT_ONCE", SSL_VERIFY_CLIENT_ONCE},
    /* File types (0.13 had FILETYPE_ASN1 here too). */
    {"FILETYPE_PEM", SSL_FILETYPE_PEM},
    {"FILETYPE_ASN1", SSL_FILETYPE_ASN1},
    /* Options. */
    {"OP_SINGLE_DH_USE", SSL_OP_SINGLE_DH_USE},
    {"OP_SINGLE_ECDH_USE", SSL_OP_SINGLE_ECDH_USE},
    {"OP_EPHEMERAL_RSA", SSL_OP_EPHEMERAL_RSA},
    {"OP_NO_SSLv2", SSL_OP_NO_SSLv2},
    {"OP_NO_SSLv3", SSL_OP_NO_SSLv3},
    {"OP_NO_TLSv1", SSL_OP_NO_TLSv1},
    {"OP_NO_TLSv1_1", SSL_OP_NO_TLSv1_1},
    {"OP_NO_TLSv1_2", SSL_OP_NO_TLSv1_2},
    {"OP_NO_TLSv1_3", SSL_OP_NO_TLSv1_3},
    {"OP_MICROSOFT_SESS_ID_BUG", SSL_OP_MICROSOFT_SESS_ID_BUG},
    {"OP_NETSCAPE_CHALLENGE_BUG", SSL_OP_NETSCAPE_CHALLENGE_BUG},
    {"OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG",
     SSL_OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG},
    {"OP_SSLREF2_REUSE_CERT_TYPE_BUG", SSL_OP_SSLREF2_REUSE_CERT_TYPE_BUG},
    {"OP_MICROSOFT_BIG_SSLV3_BUFFER", SSL_OP_MICROSOFT_BIG_SSLV3_BUFFER},
    {"OP_MSIE_SSLV2_RSA_PADDING", SSL_OP_MSIE_SSLV2_RSA_PADDING},
    {"OP_SSLEAY_080_CLIENT_DH_BUG", SSL_OP_SSLEAY_080_CLIENT_DH_BUG},
    {"OP_TLS_D5_BUG", SSL_OP_TLS_D5_BUG},
    {"OP_TLS_BLOCK_PADDING_BUG", SSL_OP_TLS_BLOCK_PADDING_BUG},
    {"OP_DONT_INSERT_EMPTY_FRAGMENTS", SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS},
    {"OP_ALL", SSL_OP_ALL},
    {"OP_CIPHER_SERVER_PREFERENCE", SSL_OP_CIPHER_SERVER_PREFERENCE},
    {"OP_TLS_ROLLBACK_BUG", SSL_OP_TLS_ROLLBACK_BUG},
    {"OP_PKCS1_CHECK_1", SSL_OP_PKCS1_CHECK_1},
    {"OP_PKCS1_CHECK_2", SSL_OP_PKCS1_CHECK_2},
    {"OP_NETSCAPE_CA_DN_BUG", SSL_OP_NETSCAPE_CA_DN_BUG},
    {"OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG",
     SSL_OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG},
    {"OP_NO_COMPRESSION", SSL_OP_NO_COMPRESSION},
    {"OP_NO_QUERY_MTU", SSL_OP_NO_QUERY_MTU},
    {"OP_COOKIE_EXCHANGE", SSL_OP_COOKIE_EXCHANGE},
    {"OP_NO_TICKET", SSL_OP_NO_TICKET},
    {"OP_NO_RENEGOTIATION", SSL_OP_NO_RENEGOTIATION},
    {"OP_IGNORE_UNEXPECTED_EOF", SSL_OP_IGNORE_UNEXPECTED_EOF},
    {"OP_LEGACY_SERVER_CONNECT", SSL_OP_LEGACY_SERVER_CONNECT},
    /* Modes. */
    {"MODE_RELEASE_BUFFERS", SSL_MODE_RELEASE_BUFFERS},
    /* Shutdown state. */
    {"SENT_SHUTDOWN", SSL_SENT_SHUTDOWN},
    {"RECEIVED_SHUTDOWN", SSL_RECEIVED_SHUTDOWN},
    /* Session cache modes. */
    {"SESS_CACHE_OFF", SSL_SESS_CACHE_OFF},
    {"SESS_CACHE_CLIENT", SSL_SESS_CACHE_CLIENT},
    {"SESS_CACHE_SERVER", SSL_SESS_CACHE_SERVER},
    {"SESS_CACHE_BOTH", SSL_SESS_CACHE_BOTH},
    {"SESS_CACHE_NO_AUTO_CLEAR", SSL_SESS_CACHE_NO_AUTO_CLEAR},
    {"SESS_CACHE_NO_INTERNAL_LOOKUP", SSL_SESS_CACHE_NO_INTERNAL_LOOKUP},
    {"SESS_CACHE_NO_INTERNAL_STORE", SSL_SESS_CACHE_NO_INTERNAL_STORE},
    {"SESS_CACHE_NO_INTERNAL", SSL_SESS_CACHE_NO_INTERNAL},
    /* Handshake states; INIT, BEFORE, OK and RENEGOTIATE are gone from
     * OpenSSL 1.1+: these are their OpenSSL 1.0 values (API.md 3.3). */
    {"SSL_ST_CONNECT", SSL_ST_CONNECT},
    {"SSL_ST_ACCEPT", SSL_ST_ACCEPT},
    {"SSL_ST_MASK", SSL_ST_MASK},
    {"SSL_ST_INIT", 0x3000},
    {"SSL_ST_BEFORE", 0x4000},
    {"SSL_ST_OK", 0x03},
    {"SSL_ST_RENEGOTIATE", 0x3004},
    /* Info callback flags. */
    {"SSL_CB_LOOP", SSL_CB_LOOP},
    {"SSL_CB_EXIT", SSL_CB_EXIT},
    {"SSL_CB_READ", SSL_CB_READ},
    {"SSL_CB_WRITE", SSL_CB_WRITE},
    {"SSL_CB_ALERT", SSL_CB_ALERT},
    {"SSL_CB_READ_ALERT", SSL_CB_READ_ALERT},
    {"SSL_CB_WRITE_ALERT", SSL_CB_WRITE_ALERT},
    {"SSL_CB_ACCEPT_LOOP", SSL_CB_ACCEPT_LOOP},
    {"SSL_CB_ACCEPT_EXIT", SSL_CB_ACCEPT_EXIT},
    {"SSL_CB_CONNECT_LOOP", SSL_CB_CONNECT_LOOP},
    {"SSL_CB_CONNECT_EXIT", SSL_CB_CONNECT_EXIT},
    {"SSL_CB_HANDSHAKE_START", SSL_CB_HANDSHAKE_START},
    {"SSL_CB_HANDSHAKE_DONE", SSL_CB_HANDSHAKE_DONE},
    /* Version information selectors. */
    {"OPENSSL_VERSION", OPENSSL_VERSION},
    {"OPENSSL_CFLAGS", OPENSSL_CFLAGS},
    {"OPENSSL_BUILT_ON", OPENSSL_BUILT_ON},
    {"OPENSSL_PLATFORM", OPENSSL_PLATFORM},
    {"OPENSSL_DIR", OPENSSL_DIR},
    {"SSLEAY_VERSION", OPENSSL_VERSION},
    {"SSLEAY_CFLAGS", OPENSSL_CFLAGS},
    {"SSLEAY_BUILT_ON", OPENSSL_BUILT_ON},
    {"SSLEAY_PLATFORM", OPENSSL_PLATFORM},
    {"SSLEAY_DIR", OPENSSL_DIR},
};

static int
add_constants(PyObject *module)
{
    size_t i;
    for (i = 0; i < sizeof(ssl_constants) / sizeof(ssl_constants[0]); i++) {
        PyObject *v = PyLong_FromUnsignedLongLong(ssl_constants[i].value);
        if (pyossl_module_add(module, ssl_constants[i].name, v) < 0)
            return -1;
    }
    /* The version of the library in use, as pyOpenSSL reports it. */
    if (pyossl_module_add(module, "OPENSSL_VERSION_NUMBER",
                          PyLong_FromUnsignedLong(OpenSSL_version_num())) < 0)
        return -1;
    /* What we were compiled against, for python -m OpenSSL.debug. */
    if (PyModule_AddStringConstant(module, "_OPENSSL_BUILD_VERSION_TEXT",
                                   OPENSSL_VERSION_TEXT) < 0)
        return -1;
    return 0;
}

/* X509VerificationCodes: OpenSSL's X509_V_* codes as class attributes. */
static int
add_verification_codes(PyObject *module)
{
#define CODE(name) {#name, X509_V_##name}
    static const struct { const char *name; long value; } codes[] = {
        CODE(OK),
        {"ERR_UNABLE_TO_GET_ISSUER_CERT", X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT},
        {"ERR_UNABLE_TO_GET_CRL", X509_V_ERR_UNABLE_TO_GET_CRL},
        {"ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE",
         X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE},
        {"ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE",
         X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE},
        {"ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
         X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY},
        {"ERR_CERT_SIGNATURE_FAILURE", X509_V_ERR_CERT_SIGNATURE_FAILURE},
        {"ERR_CRL_SIGNATURE_FAILURE", X509_V_ERR_CRL_SIGNATURE_FAILURE},
        {"ERR_CERT_NOT_YET_VALID", X509_V_ERR_CERT_NOT_YET_VALID},
        {"ERR_CERT_HAS_EXPIRED", X509_V_ERR_CERT_HAS_EXPIRED},
        {"ERR_CRL_NOT_YET_VALID", X509_V_ERR_CRL_NOT_YET_VALID},
        {"ERR_CRL_HAS_EXPIRED", X509_V_ERR_CRL_HAS_EXPIRED},
        {"ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD",
         X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD},
        {"ERR_ERROR_IN_CERT_NOT_AFTER_FIELD",
         X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD},
        {"ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD",
         X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD},
        {"ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD",
         X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD},
        {"ERR_OUT_OF_MEM", X509_V_ERR_OUT_OF_MEM},
        {"ERR_DEPTH_ZERO_SELF_SIGNED_CERT",
         X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT},
        {"ERR_SELF_SIGNED_CERT_IN_CHAIN", X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN},
        {"ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
         X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY},
        {"ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE",
         X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE},
        {"ERR_CERT_CHAIN_TOO_LONG", X509_V_ERR_CERT_CHAIN_TOO_LONG},
        {"ERR_CERT_REVOKED", X509_V_ERR_CERT_REVOKED},
        {"ERR_INVALID_CA", X509_V_ERR_INVALID_CA},
        {"ERR_PATH_LENGTH_EXCEEDED", X509_V_ERR_PATH_LENGTH_EXCEEDED},
        {"ERR_INVALID_PURPOSE", X509_V_ERR_INVALID_PURPOSE},
        {"ERR_CERT_UNTRUSTED", X509_V_ERR_CERT_UNTRUSTED},
        {"ERR_CERT_REJECTED", X509_V_ERR_CERT_REJECTED},
        {"ERR_SUBJECT_ISSUER_MISMATCH", X509_V_ERR_SUBJECT_ISSUER_MISMATCH},
        {"ERR_AKID_SKID_MISMATCH", X509_V_ERR_AKID_SKID_MISMATCH},
        {"ERR_AKID_ISSUER_SERIAL_MISMATCH",
         X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH},
        {"ERR_KEYUSAGE_NO_CERTSIGN", X509_V_ERR_KEYUSAGE_NO_CERTSIGN},
        {"ERR_UNABLE_TO_GET_CRL_ISSUER", X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER},
        {"ERR_UNHANDLED_CRITICAL_EXTENSION",
         X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION},
        {"ERR_KEYUSAGE_NO_CRL_SIGN", X509_V_ERR_KEYUSAGE_NO_CRL_SIGN},
        {"ERR_UNHANDLED_CRITICAL_CRL_EXTENSION",
         X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION},
        {"ERR_INVALID_NON_CA", X509_V_ERR_INVALID_NON_CA},
        {"ERR_PROXY_PATH_LENGTH_EXCEEDED",
         X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED},
        {"ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE",
         X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE},
        {"ERR_PROXY_CERTIFICATES_NOT_ALLOWED",
         X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED},
        {"ERR_INVALID_EXTENSION", X509_V_ERR_INVALID_EXTENSION},
        {"ERR_INVALID_POLICY_EXTENSION", X509_V_ERR_INVALID_POLICY_EXTENSION},
        {"ERR_NO_EXPLICIT_POLICY", X509_V_ERR_NO_EXPLICIT_POLICY},
        {"ERR_DIFFERENT_CRL_SCOPE", X509_V_ERR_DIFFERENT_CRL_SCOPE},
        {"ERR_UNSUPPORTED_EXTENSION_FEATURE",
         X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE},
        {"ERR_UNNESTED_RESOURCE", X509_V_ERR_UNNESTED_RESOURCE},
        {"ERR_PERMITTED_VIOLATION", X509_V_ERR_PERMITTED_VIOLATION},
        {"ERR_EXCLUDED_VIOLATION", X509_V_ERR_EXCLUDED_VIOLATION},
        {"ERR_SUBTREE_MINMAX", X509_V_ERR_SUBTREE_MINMAX},
        {"ERR_UNSUPPORTED_CONSTRAINT_TYPE",
         X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE},
        {"ERR_UNSUPPORTED_CONSTRAINT_SYNTAX",
         X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX},
        {"ERR_UNSUPPORTED_NAME_SYNTAX", X509_V_ERR_UNSUPPORTED_NAME_SYNTAX},
        {"ERR_CRL_PATH_VALIDATION_ERROR",
         X509_V_ERR_CRL_PATH_VALIDATION_ERROR},
        {"ERR_HOSTNAME_MISMATCH", X509_V_ERR_HOSTNAME_MISMATCH},
        {"ERR_EMAIL_MISMATCH", X509_V_ERR_EMAIL_MISMATCH},
        {"ERR_IP_ADDRESS_MISMATCH", X509_V_ERR_IP_ADDRESS_MISMATCH},
        {"ERR_APPLICATION_VERIFICATION", X509_V_ERR_APPLICATION_VERIFICATION},
    };
#undef CODE
    const char *names[sizeof(codes) / sizeof(codes[0]) + 1];
    long values[sizeof(codes) / sizeof(codes[0])];
    size_t i;

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        names[i] = codes[i].name;
        values[i] = codes[i].value;
    }
    names[i] = NULL;
    return pyossl_add_constant_class(
        module, "OpenSSL.SSL", "X509VerificationCodes",
        "Success and error codes for X509 verification, as returned by the\n"
        "underlying X509_STORE_CTX_get_error() function and passed to\n"
        "verification callbacks as errnum.",
        names, values);
}

/* ------------------------------------------------------------------------
 * Exceptions
 * --------------------------------------------------------------------- */

static int
add_exception(PyObject *module, PyObject **slot, const char *name,
              const char *doc, PyObject *base)
{
    char qualname[64];
    PyOS_snprintf(qualname, sizeof(qualname), "OpenSSL.SSL.%s", name);
    *slot = pyossl_new_exception(qualname, doc, base);
    if (*slot == NULL)
        return -1;
    return PyModule_AddObjectRef(module, name, *slot);
}

static int
add_exceptions(PyObject *module, ssl_state *st)
{
    PyObject *bases;

    if (add_exception(module, &st->Error, "Error",
                      "An error occurred in an `OpenSSL.SSL` API.\n\n"
                      "When raised from the OpenSSL error queue, args[0] is a "
                      "list of\n(lib, func, reason) str triples.", NULL) < 0 ||
        add_exception(module, &st->WantReadError, "WantReadError",
                      "The operation did not complete: call it again with "
                      "the same\narguments when the transport is readable.",
                      st->Error) < 0 ||
        add_exception(module, &st->WantWriteError, "WantWriteError",
                      "The operation did not complete: call it again with "
                      "the same\narguments when the transport is writable.",
                      st->Error) < 0 ||
        add_exception(module, &st->WantX509LookupError,
                      "WantX509LookupError",
                      "The operation did not complete because an "
                      "application callback\nasked to be called again.",
                      st->Error) < 0 ||
        add_exception(module, &st->ZeroReturnError, "ZeroReturnError",
                      "The TLS connection was closed cleanly (the peer sent "
                      "close_notify).", st->Error) < 0 ||
        add_exception(module, &st->SysCallError, "SysCallError",
                      "An I/O error with nothing on the OpenSSL error "
                      "queue: args are\n(errno, errno name), or (-1, "
                      "'Unexpected EOF') for an EOF that\nviolates the "
                      "protocol.", st->Error) < 0)
        return -1;

    bases = PyTuple_Pack(2, st->Error, PyExc_ValueError);
    if (bases == NULL)
        return -1;
    st->ErrorValueError = pyossl_new_exception(
        "OpenSSL.SSL.ErrorValueError",
        "Both an SSL.Error (pyOpenSSL 0.13) and a ValueError (pyOpenSSL 23\n"
        "and later).", bases);
    Py_DECREF(bases);
    if (st->ErrorValueError == NULL)
        return -1;

    bases = PyTuple_Pack(2, PyExc_TypeError, PyExc_AttributeError);
    if (bases == NULL)
        return -1;
    st->TypeAttributeError = pyossl_new_exception(
        "OpenSSL.SSL.TypeAttributeError",
        "Wrong argument type: both a TypeError (pyOpenSSL 0.13) and an\n"
        "AttributeError (pyOpenSSL 23 and later).", bases);
    Py_DECREF(bases);
    if (st->TypeAttributeError == NULL)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------------
 * Everything else
 * --------------------------------------------------------------------- */

/* The owner lock hooks of the crypto C API: a store owned by a Context
 * is changed under that Context's exclusive lock. */
static int
store_owner_lock(PyObject *owner)
{
    return pyossl_rwlock_acquire_exclusive(&((ContextObject *)owner)->lock);
}

static void
store_owner_unlock(PyObject *owner, int token)
{
    pyossl_rwlock_release_exclusive(&((ContextObject *)owner)->lock, token);
}

static int
import_crypto(ssl_state *st)
{
    st->crypto_module = PyImport_ImportModule("OpenSSL.crypto");
    if (st->crypto_module == NULL)
        return -1;
    st->crypto = PyCapsule_Import(PYOSSL_CRYPTO_CAPI_NAME, 0);
    if (st->crypto == NULL)
        return -1;
    if (st->crypto->size != sizeof(pyossl_crypto_capi) ||
        st->crypto->version != PYOSSL_CRYPTO_CAPI_VERSION) {
        PyErr_SetString(PyExc_ImportError,
                        "OpenSSL.SSL and OpenSSL.crypto come from different "
                        "builds of pyOpenSSL; reinstall pyOpenSSL");
        return -1;
    }
    /* The table lives in the crypto module's state, which we keep alive;
     * every SSL module instance installs the same two functions. */
    ((pyossl_crypto_capi *)st->crypto)->owner_lock = store_owner_lock;
    ((pyossl_crypto_capi *)st->crypto)->owner_unlock = store_owner_unlock;
    return 0;
}

static int
add_objects(PyObject *module, ssl_state *st)
{
    PyObject *errno_module, *fn, *cls;
    static const char *const reexports[] = {
        "X509", "X509Name", "X509Store", "PKey", NULL
    };
    size_t i;

    /* errno.errorcode names the errno in SysCallError. */
    errno_module = PyImport_ImportModule("errno");
    if (errno_module == NULL)
        return -1;
    st->errorcode = PyObject_GetAttrString(errno_module, "errorcode");
    Py_DECREF(errno_module);
    if (st->errorcode == NULL)
        return -1;

    /* NO_OVERLAPPING_PROTOCOLS: a sentinel, compared by identity. */
    cls = PyObject_CallFunction((PyObject *)&PyType_Type, "s()N",
                                "_NoOverlappingProtocols",
                                Py_BuildValue("{s:s}", "__module__",
                                              "OpenSSL.SSL"));
    if (cls == NULL)
        return -1;
    st->NO_OVERLAPPING_PROTOCOLS = PyObject_CallNoArgs(cls);
    Py_DECREF(cls);
    if (st->NO_OVERLAPPING_PROTOCOLS == NULL ||
        PyModule_AddObjectRef(module, "NO_OVERLAPPING_PROTOCOLS",
                              st->NO_OVERLAPPING_PROTOCOLS) < 0)
        return -1;

    /* The crypto classes that pyOpenSSL 23/26 re-export incidentally. */
    for (i = 0; reexports[i] != NULL; i++) {
        PyObject *obj = PyObject_GetAttrString(st->crypto_module, reexports[i]);
        if (pyossl_module_add(module, reexports[i], obj) < 0)
            return -1;
    }

    if (PyModule_AddFunctions(module, ssl_module_methods) < 0)
        return -1;
    /* SSLeay_version is the very same function object. */
    fn = PyObject_GetAttrString(module, "OpenSSL_version");
    if (pyossl_module_add(module, "SSLeay_version", fn) < 0)
        return -1;

    /* The 0.13 aliases. */
    if (PyModule_AddObjectRef(module, "ContextType",
                              (PyObject *)st->Context_Type) < 0 ||
        PyModule_AddObjectRef(module, "ConnectionType",
                              (PyObject *)st->Connection_Type) < 0)
        return -1;
    return 0;
}

/* __all__: the union of pyOpenSSL 23.0.0's and 26.4.0's lists and every
 * public name of 0.13's module (API.md 3.3). */
static int
add_all(PyObject *module)
{
    static const char *const extra[] = {
        "Context", "Connection", "Session", "ContextType", "ConnectionType",
        "Error", "WantReadError", "WantWriteError", "WantX509LookupError",
        "ZeroReturnError", "SysCallError", "SSLeay_version",
        "NO_OVERLAPPING_PROTOCOLS", "X509VerificationCodes",
        "OPENSSL_VERSION_NUMBER", NULL
    };
    PyObject *all = PyList_New(0);
    size_t i;

    if (all == NULL)
        return -1;
    for (i = 0; i < sizeof(ssl_constants) / sizeof(ssl_constants[0]); i++) {
        PyObject *s = PyUnicode_FromString(ssl_constants[i].name);
        if (s == NULL || PyList_Append(all, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(all);
            return -1;
        }
        Py_DECREF(s);
    }
    for (i = 0; extra[i] != NULL; i++) {
        PyObject *s = PyUnicode_FromString(extra[i]);
        if (s == NULL || PyList_Append(all, s) < 0) {
            Py_XDECREF(s);
            Py_DECREF(all);
            return -1;
        }
        Py_DECREF(s);
    }
    return pyossl_module_add(module, "__all__", all);
}

static int
ssl_exec(PyObject *module)
{
    ssl_state *st = PyModule_GetState(module);

    if (pyossl_check_openssl_runtime() < 0 ||
        import_crypto(st) < 0 ||
        add_exceptions(module, st) < 0 ||
        ssl_context_register(module, st) < 0 ||
        ssl_connection_register(module, st) < 0 ||
        ssl_session_register(module, st) < 0 ||
        add_constants(module) < 0 ||
        add_verification_codes(module) < 0 ||
        add_objects(module, st) < 0 ||
        add_all(module) < 0)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------------
 * State lifetime
 * --------------------------------------------------------------------- */

#define SSL_STATE_FIELDS(X)                                                  \
    X(crypto_module) X(Context_Type) X(Connection_Type) X(Session_Type)      \
    X(Error) X(ZeroReturnError) X(WantReadError) X(WantWriteError)           \
    X(WantX509LookupError) X(SysCallError) X(ErrorValueError)                \
    X(TypeAttributeError) X(NO_OVERLAPPING_PROTOCOLS) X(errorcode)

static int
ssl_traverse(PyObject *module, visitproc visit, void *arg)
{
    ssl_state *st = PyModule_GetState(module);
#define VISIT(f) Py_VISIT(st->f);
    SSL_STATE_FIELDS(VISIT)
#undef VISIT
    return 0;
}

static int
ssl_clear(PyObject *module)
{
    ssl_state *st = PyModule_GetState(module);
#define CLEAR(f) Py_CLEAR(st->f);
    SSL_STATE_FIELDS(CLEAR)
#undef CLEAR
    st->crypto = NULL;
    return 0;
}

static void
ssl_free(void *module)
{
    ssl_clear((PyObject *)module);
}

static PyModuleDef_Slot ssl_slots[] = {
    {Py_mod_exec, ssl_exec},
    {0, NULL}
};

PyDoc_STRVAR(ssl_module_doc,
"TLS connections over OpenSSL 3: pyOpenSSL's OpenSSL.SSL API (0.13 to\n"
"26.4), implemented in C.");

PyModuleDef ssl_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "OpenSSL.SSL",
    .m_doc = ssl_module_doc,
    .m_size = sizeof(ssl_state),
    .m_slots = ssl_slots,
    .m_traverse = ssl_traverse,
    .m_clear = ssl_clear,
    .m_free = ssl_free,
};

PyMODINIT_FUNC
PyInit_SSL(void)
{
    return PyModuleDef_Init(&ssl_module_def);
}
