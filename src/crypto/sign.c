/*
 * sign.c -- the module functions sign() and verify(): a signature over a
 * byte string with a PKey, checked against a certificate's public key.
 *
 * Both use EVP_DigestSign/EVP_DigestVerify, so they work with RSA (any
 * size: the signature buffer is sized from the key, API.md 4.1), DSA, EC
 * and, without a digest, Ed25519/Ed448. The whole of `data` is signed,
 * NUL bytes included (4.2). The OpenSSL work runs without the GIL, on
 * references of our own to the key and the data.
 */
#include "crypto.h"

/* The `data` argument: bytes, or str with a DeprecationWarning. */
static int
data_arg(PyObject *obj, pyossl_bytes *out)
{
    return pyossl_bytes_or_text_warn(obj, "data", 0, out);
}

/* ------------------------------------------------------------------------
 * sign
 * --------------------------------------------------------------------- */

/* Sign `len` bytes at `data` into `sig` (room for *siglen bytes; updated
 * with the length written). 1 on success, 0 with the OpenSSL error queue
 * set. Runs without the GIL. */
static int
sign_buffer(EVP_PKEY *pkey, const EVP_MD *md, const char *data, size_t len,
            unsigned char *sig, size_t *siglen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok;

    if (ctx == NULL)
        return 0;
    ok = EVP_DigestSignInit(ctx, NULL, md, NULL, pkey) == 1 &&
         EVP_DigestSign(ctx, sig, siglen, (const unsigned char *)data,
                        len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

PyDoc_STRVAR(sign_doc,
"sign(pkey, data, digest)\n--\n\n"
"Sign a data string using the given key and message digest.\n\n"
":param pkey: PKey to sign with\n"
":param data: data to be signed (bytes; str is accepted with a\n"
"    DeprecationWarning and encoded as UTF-8)\n"
":param digest: message digest to use, a name such as 'sha256' (not used\n"
"    with Ed25519 and Ed448 keys, which sign the whole message)\n"
":return: signature (bytes)\n"
":raises ValueError: for an unknown digest.\n"
":raises Error: if OpenSSL cannot sign with the key (for example a\n"
"    public-only or uninitialized key).");

static PyObject *
crypto_sign(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"pkey", "data", "digest", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *pkey_obj, *data_obj, *digest, *result;
    const EVP_MD *md;
    pyossl_bytes data;
    EVP_PKEY *pkey;
    size_t siglen;
    int size, ok;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO:sign", kwlist,
                                     &pkey_obj, &data_obj, &digest))
        return NULL;
    /* pyOpenSSL 23.0's order: data, digest, then the key. */
    if (data_arg(data_obj, &data) < 0)
        return NULL;
    if (pyossl_digest_by_name(digest) == NULL)
        goto fail;
    pkey = crypto_pkey_ptr(st, pkey_obj, "pkey");
    if (pkey == NULL || crypto_signing_digest(pkey, digest, &md) < 0)
        goto fail;
    size = EVP_PKEY_get_size(pkey);
    if (size <= 0) {
        /* An uninitialized PKey(), as in pyOpenSSL 23.0. */
        CRYPTO_RAISE(st);
        goto fail;
    }
    result = PyBytes_FromStringAndSize(NULL, size);
    if (result == NULL)
        goto fail;
    /* Our own reference: generate_key() on another thread may replace the
     * PKey's EVP_PKEY while the GIL is released. */
    if (!EVP_PKEY_up_ref(pkey)) {
        Py_DECREF(result);
        CRYPTO_RAISE(st);
        goto fail;
    }
    siglen = (size_t)size;
    Py_BEGIN_ALLOW_THREADS
    ok = sign_buffer(pkey, md, data.data, (size_t)data.len,
                     (unsigned char *)PyBytes_AS_STRING(result), &siglen);
    Py_END_ALLOW_THREADS
    EVP_PKEY_free(pkey);
    pyossl_bytes_release(&data);
    if (!ok) {
        Py_DECREF(result);
        return CRYPTO_RAISE(st);
    }
    pyossl_clear_errors();
    if (siglen < (size_t)size &&
        _PyBytes_Resize(&result, (Py_ssize_t)siglen) < 0)
        return NULL;
    return result;

fail:
    pyossl_bytes_release(&data);
    return NULL;
}

/* ------------------------------------------------------------------------
 * verify
 * --------------------------------------------------------------------- */

/* 1 if `sig` is a valid signature of `data` under `pkey`, else 0 with the
 * OpenSSL error queue set (possibly empty). Runs without the GIL. */
static int
verify_buffer(EVP_PKEY *pkey, const EVP_MD *md, const char *data,
              size_t len, const char *sig, size_t siglen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok;

    if (ctx == NULL)
        return 0;
    ok = EVP_DigestVerifyInit(ctx, NULL, md, NULL, pkey) == 1 &&
         EVP_DigestVerify(ctx, (const unsigned char *)sig, siglen,
                          (const unsigned char *)data, len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

PyDoc_STRVAR(verify_doc,
"verify(cert, signature, data, digest)\n--\n\n"
"Verify the signature for a data string.\n\n"
":param cert: signing certificate (X509 object) corresponding to the\n"
"    private key which generated the signature.\n"
":param signature: signature returned by sign function (bytes)\n"
":param data: data to be verified (bytes; str is accepted with a\n"
"    DeprecationWarning and encoded as UTF-8)\n"
":param digest: message digest to use, a name such as 'sha256'\n"
":return: ``None`` if the signature is correct, raise exception otherwise.\n"
":raises ValueError: for an unknown digest.\n"
":raises Error: if the signature does not verify (also a ValueError if\n"
"    the certificate has no usable public key, as in pyOpenSSL 0.13).");

static PyObject *
crypto_verify(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cert", "signature", "data", "digest", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *cert_obj, *sig_obj, *data_obj, *digest;
    pyossl_bytes data, sig;
    const EVP_MD *md;
    EVP_PKEY *pkey;
    X509 *x509;
    int ok;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOO:verify", kwlist,
                                     &cert_obj, &sig_obj, &data_obj,
                                     &digest))
        return NULL;
    if (data_arg(data_obj, &data) < 0)
        return NULL;
    if (pyossl_digest_by_name(digest) == NULL)
        goto fail_data;
    x509 = crypto_x509_ptr(st, cert_obj, "cert");
    if (x509 == NULL)
        goto fail_data;
    if (pyossl_bytes_strict(sig_obj, "signature", &sig) < 0)
        goto fail_data;
    /* A new reference, so the key stays valid without the GIL. */
    pkey = X509_get_pubkey(x509);
    if (pkey == NULL) {
        /* Error in pyOpenSSL 23.0, ValueError('No public key') in 0.13. */
        pyossl_raise_error_queue(st->ErrorValueError);
        goto fail_sig;
    }
    if (crypto_signing_digest(pkey, digest, &md) < 0) {
        EVP_PKEY_free(pkey);
        goto fail_sig;
    }
    Py_BEGIN_ALLOW_THREADS
    ok = verify_buffer(pkey, md, data.data, (size_t)data.len, sig.data,
                       (size_t)sig.len);
    Py_END_ALLOW_THREADS
    EVP_PKEY_free(pkey);
    pyossl_bytes_release(&sig);
    pyossl_bytes_release(&data);
    if (!ok)
        return CRYPTO_RAISE(st);
    pyossl_clear_errors();
    Py_RETURN_NONE;

fail_sig:
    pyossl_bytes_release(&sig);
fail_data:
    pyossl_bytes_release(&data);
    return NULL;
}

PyMethodDef crypto_sign_methods[] = {
    {"sign", (PyCFunction)(void (*)(void))crypto_sign,
     METH_VARARGS | METH_KEYWORDS, sign_doc},
    {"verify", (PyCFunction)(void (*)(void))crypto_verify,
     METH_VARARGS | METH_KEYWORDS, verify_doc},
    {NULL, NULL, 0, NULL}
};
