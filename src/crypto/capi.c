/*
 * capi.c -- the functions behind OpenSSL.crypto._C_API (crypto_capi.h).
 *
 * The table is embedded in the module state, so each function finds the
 * state from the table pointer it is handed.
 */
#include "crypto.h"

static crypto_state *
state_of_api(const pyossl_crypto_capi *api)
{
    return (crypto_state *)((char *)api - offsetof(crypto_state, capi));
}

static PyObject *
capi_x509_from_ptr(const pyossl_crypto_capi *api, X509 *x509)
{
    return crypto_x509_from_ptr(state_of_api(api), x509);
}

static X509 *
capi_x509_from_any(const pyossl_crypto_capi *api, PyObject *obj,
                   const char *what)
{
    X509 *x509 = crypto_x509_from_any(state_of_api(api), obj);
    if (x509 == NULL && PyErr_ExceptionMatches(PyExc_TypeError) &&
        what != NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s must be a certificate, not %.100s",
                     what, Py_TYPE(obj)->tp_name);
    }
    return x509;
}

static PyObject *
capi_x509_to_cryptography(const pyossl_crypto_capi *api, X509 *x509)
{
    return crypto_x509_to_cryptography(state_of_api(api), x509);
}

static PyObject *
capi_x509name_copy(const pyossl_crypto_capi *api, const X509_NAME *name)
{
    return crypto_x509name_copy(state_of_api(api), name);
}

static X509_NAME *
capi_x509name_ptr(const pyossl_crypto_capi *api, PyObject *obj)
{
    return crypto_x509name_ptr(state_of_api(api), obj);
}

static PyObject *
capi_x509name_to_cryptography(const pyossl_crypto_capi *api,
                              const X509_NAME *name)
{
    /* Recent cryptography releases load a Name from its DER
     * (x509.Name.from_bytes); older ones (48 included) have no such
     * loader, so there the name travels as the subject of a minimal
     * certificate request. OpenSSL only encodes a request that has a key
     * and a signature: it gets a throw-away Ed25519 key, cheap to make.
     * Either way the result is a copy. */
    crypto_state *st = state_of_api(api);
    unsigned char *buf = NULL;
    PyObject *x509mod, *name_cls, *der, *result = NULL;
    X509_REQ *req;
    EVP_PKEY *key;
    int len, ok;

    x509mod = crypto_import_cryptography("cryptography.x509");
    if (x509mod == NULL)
        return NULL;
    name_cls = PyObject_GetAttrString(x509mod, "Name");
    if (name_cls == NULL)
        goto done;
    if (PyObject_HasAttrString(name_cls, "from_bytes")) {
        len = i2d_X509_NAME(name, &buf);
        der = pyossl_take_openssl_buffer(buf, len, st->Error);
        if (der != NULL) {
            result = PyObject_CallMethod(name_cls, "from_bytes", "O", der);
            Py_DECREF(der);
        }
        goto done;
    }
    req = X509_REQ_new();
    key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    ok = req != NULL && key != NULL &&
         X509_REQ_set_subject_name(req, name) &&
         X509_REQ_set_pubkey(req, key) &&
         X509_REQ_sign(req, key, NULL) > 0;
    EVP_PKEY_free(key);
    if (!ok) {
        X509_REQ_free(req);
        CRYPTO_RAISE(st);
        goto done;
    }
    len = i2d_X509_REQ(req, &buf);
    X509_REQ_free(req);
    der = pyossl_take_openssl_buffer(buf, len, st->Error);
    if (der != NULL) {
        PyObject *csr = PyObject_CallMethod(x509mod, "load_der_x509_csr",
                                            "O", der);
        Py_DECREF(der);
        if (csr != NULL) {
            result = PyObject_GetAttrString(csr, "subject");
            Py_DECREF(csr);
        }
    }
done:
    Py_XDECREF(name_cls);
    Py_DECREF(x509mod);
    return result;
}

static PyObject *
capi_pkey_from_ptr(const pyossl_crypto_capi *api, EVP_PKEY *pkey,
                   int only_public)
{
    return crypto_pkey_from_ptr(state_of_api(api), pkey, only_public);
}

static EVP_PKEY *
capi_pkey_from_any(const pyossl_crypto_capi *api, PyObject *obj)
{
    return crypto_pkey_from_any(state_of_api(api), obj, 1);
}

static PyObject *
capi_x509store_from_ptr(const pyossl_crypto_capi *api, X509_STORE *store,
                        PyObject *owner)
{
    return crypto_x509store_from_ptr(state_of_api(api), store, owner);
}

static int
capi_curve_nid(const pyossl_crypto_capi *api, PyObject *curve)
{
    return crypto_ecurve_nid(state_of_api(api), curve);
}

void
crypto_capi_init(crypto_state *st)
{
    pyossl_crypto_capi *api = &st->capi;
    api->size = sizeof(*api);
    api->version = PYOSSL_CRYPTO_CAPI_VERSION;
    api->X509_Type = st->X509_Type;
    api->X509Name_Type = st->X509Name_Type;
    api->X509Store_Type = st->X509Store_Type;
    api->PKey_Type = st->PKey_Type;
    api->Error = st->Error;
    api->x509_from_ptr = capi_x509_from_ptr;
    api->x509_from_any = capi_x509_from_any;
    api->x509_to_cryptography = capi_x509_to_cryptography;
    api->x509name_copy = capi_x509name_copy;
    api->x509name_ptr = capi_x509name_ptr;
    api->x509name_to_cryptography = capi_x509name_to_cryptography;
    api->pkey_from_ptr = capi_pkey_from_ptr;
    api->pkey_from_any = capi_pkey_from_any;
    api->x509store_from_ptr = capi_x509store_from_ptr;
    api->curve_nid = capi_curve_nid;
    api->owner_lock = NULL;         /* OpenSSL.SSL fills these in */
    api->owner_unlock = NULL;
}
