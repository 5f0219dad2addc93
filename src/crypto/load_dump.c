/*
 * load_dump.c -- load_certificate / dump_certificate, load_privatekey /
 * dump_privatekey, load_publickey / dump_publickey.
 *
 * Private-key loads and dumps run without the GIL, because decrypting or
 * encrypting a key (PBKDF2, scrypt) can take a while; the passphrase
 * callback takes the GIL back when it needs it (passphrase.c).
 */
#include "crypto.h"
#include "../common/passphrase.h"

/* ------------------------------------------------------------------------
 * Certificates
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(load_certificate_doc,
"load_certificate(type, buffer)\n--\n\n"
"Load a certificate (X509) from the string *buffer* encoded with the\n"
"type *type* (FILETYPE_PEM or FILETYPE_ASN1).\n\n"
":raises ValueError: for any other type.\n"
":raises Error: if the buffer does not hold a certificate.");

/* Our callback with no passphrase (NULL): a PEM block with encryption
 * headers fails instead of OpenSSL asking on the terminal. */
static void *
read_x509(BIO *bio, long type, void *Py_UNUSED(arg))
{
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_read_bio_X509(bio, NULL, pyossl_passphrase_cb, NULL);
    return d2i_X509_bio(bio, NULL);
}

static PyObject *
load_certificate(PyObject *module, PyObject *args, PyObject *kwargs)
{
    crypto_state *st = PyModule_GetState(module);
    X509 *x509 = crypto_load(st, args, kwargs, "OO:load_certificate",
                             read_x509);

    if (x509 == NULL)
        return NULL;
    return crypto_x509_wrap(st, x509);
}

PyDoc_STRVAR(dump_certificate_doc,
"dump_certificate(type, cert)\n--\n\n"
"Dump the certificate *cert* into bytes: PEM, DER (FILETYPE_ASN1) or\n"
"OpenSSL's text form (FILETYPE_TEXT, exactly what X509_print_ex prints).");

static int
write_x509(BIO *bio, long type, void *obj)
{
    X509 *x509 = obj;
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_write_bio_X509(bio, x509) == 1;
    if (type == CRYPTO_FILETYPE_ASN1)
        return i2d_X509_bio(bio, x509) == 1;
    return X509_print_ex(bio, x509, 0, 0) == 1;
}

static PyObject *
dump_certificate(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", "cert", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *type_obj, *cert_obj;
    long type;
    X509 *x509;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:dump_certificate",
                                     kwlist, &type_obj, &cert_obj))
        return NULL;
    type = crypto_filetype_of(type_obj);
    if (crypto_filetype_check(type, 1) < 0)
        return NULL;
    x509 = crypto_x509_ptr(st, cert_obj, "cert");
    if (x509 == NULL)
        return NULL;
    return crypto_dump_object(st, type, write_x509, x509);
}

/* ------------------------------------------------------------------------
 * Private keys
 * --------------------------------------------------------------------- */

/* The passphrase argument: None, bytes or a callable. */
static int
check_passphrase(PyObject *passphrase, long type)
{
    if (passphrase == NULL)
        return 0;
    if (type != CRYPTO_FILETYPE_PEM) {
        PyErr_SetString(PyExc_ValueError,
                        "only FILETYPE_PEM key format supports encryption");
        return -1;
    }
    if (!PyBytes_Check(passphrase) && !PyCallable_Check(passphrase)) {
        PyErr_SetString(PyExc_TypeError,
                        "Last argument must be a byte string or a callable.");
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(load_privatekey_doc,
"load_privatekey(type, buffer, passphrase=None)\n--\n\n"
"Load a private key (PKey) from the string *buffer* encoded with the type\n"
"*type* (FILETYPE_PEM or FILETYPE_ASN1).\n\n"
"*passphrase* decrypts an encrypted PEM key: bytes (used in full, NUL\n"
"bytes included), or a callable taking rwflag and returning bytes. An\n"
"exception raised by the callable propagates unchanged.\n\n"
":raises ValueError: for another type, for a passphrase with a type other\n"
"    than FILETYPE_PEM, or for a passphrase longer than 1024 bytes.\n"
":raises TypeError: if passphrase is neither bytes nor callable.\n"
":raises Error: if the buffer does not hold a key or the passphrase is\n"
"    wrong.");

/* `arg` is the pyossl_passphrase. The GIL is released while OpenSSL
 * decrypts; a problem of the passphrase callback is raised here. */
static void *
read_private_key(BIO *bio, long type, void *arg)
{
    pyossl_passphrase *helper = arg;
    EVP_PKEY *pkey;

    Py_BEGIN_ALLOW_THREADS
    if (type == CRYPTO_FILETYPE_PEM)
        pkey = PEM_read_bio_PrivateKey(bio, NULL, pyossl_passphrase_cb,
                                       helper);
    else
        pkey = d2i_PrivateKey_bio(bio, NULL);
    Py_END_ALLOW_THREADS
    if (pyossl_passphrase_raise_if_problem(helper) < 0) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

static PyObject *
load_privatekey(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", "buffer", "passphrase", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *type_obj, *buffer_obj, *passphrase = Py_None;
    pyossl_passphrase helper;
    EVP_PKEY *pkey;
    long type;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|O:load_privatekey",
                                     kwlist, &type_obj, &buffer_obj,
                                     &passphrase))
        return NULL;
    if (passphrase == Py_None)
        passphrase = NULL;
    type = crypto_filetype_of(type_obj);
    if (check_passphrase(passphrase, type) < 0 ||
        crypto_filetype_check(type, 0) < 0)
        return NULL;
    pyossl_passphrase_init(&helper, passphrase, NULL, 0, 0,
                           st->ErrorValueError);
    pkey = crypto_load_object(st, buffer_obj, type, read_private_key,
                              &helper);
    if (pkey == NULL)
        return NULL;
    return crypto_pkey_wrap(st, pkey, 0);
}

PyDoc_STRVAR(dump_privatekey_doc,
"dump_privatekey(type, pkey, cipher=None, passphrase=None)\n--\n\n"
"Dump the private key *pkey* into bytes: PEM (PKCS#8), DER or, for RSA\n"
"keys, OpenSSL's text form (FILETYPE_TEXT).\n\n"
"With *cipher* (a name such as 'aes256') the PEM output is encrypted with\n"
"*passphrase*, bytes or a callable taking rwflag (1) and returning bytes.\n\n"
":raises TypeError/ValueError: for a cipher without a passphrase (the\n"
"    exception is both).\n"
":raises ValueError: for an unknown cipher or type, or a passphrase with a\n"
"    type other than FILETYPE_PEM.\n"
":raises TypeError: if pkey is not a PKey, or FILETYPE_TEXT is asked for a\n"
"    key that is not RSA.");

/* What write_private_key() writes: a key of our own reference (the GIL
 * is released while it is written) and how. */
struct private_key_out {
    EVP_PKEY *pkey;
    int only_public;
    const EVP_CIPHER *cipher;       /* PEM encryption, or NULL */
    pyossl_passphrase *helper;
};

/* The GIL is released while OpenSSL encrypts; a problem of the
 * passphrase callback is raised here (-1). */
static int
write_private_key(BIO *bio, long type, void *obj)
{
    struct private_key_out *out = obj;
    int ok;

    Py_BEGIN_ALLOW_THREADS
    if (type == CRYPTO_FILETYPE_PEM)
        ok = PEM_write_bio_PrivateKey(bio, out->pkey, out->cipher, NULL, 0,
                                      pyossl_passphrase_cb,
                                      out->helper) == 1;
    else if (type == CRYPTO_FILETYPE_ASN1)
        ok = i2d_PrivateKey_bio(bio, out->pkey) == 1;
    else
        /* pyOpenSSL prints with RSA_print(), whose output on OpenSSL 3
         * is the provider's text form with an "RSA " prefix. */
        ok = BIO_puts(bio, "RSA ") == 4 &&
             (out->only_public
                  ? EVP_PKEY_print_public(bio, out->pkey, 0, NULL)
                  : EVP_PKEY_print_private(bio, out->pkey, 0, NULL)) == 1;
    Py_END_ALLOW_THREADS
    if (pyossl_passphrase_raise_if_problem(out->helper) < 0)
        return -1;
    return ok;
}

static PyObject *
dump_privatekey(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", "pkey", "cipher", "passphrase", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *type_obj, *pkey_obj, *cipher = Py_None, *passphrase = Py_None;
    const EVP_CIPHER *evp_cipher = NULL;
    struct private_key_out out;
    pyossl_passphrase helper;
    PyObject *result;
    long type;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO|OO:dump_privatekey",
                                     kwlist, &type_obj, &pkey_obj, &cipher,
                                     &passphrase))
        return NULL;
    if (passphrase == Py_None)
        passphrase = NULL;
    if (!PyObject_TypeCheck(pkey_obj, st->PKey_Type)) {
        PyErr_SetString(st->TypeAttributeError, "pkey must be a PKey");
        return NULL;
    }
    if (cipher != Py_None) {
        const char *name;
        if (passphrase == NULL) {
            PyErr_SetString(st->TypeValueError,
                            "if a value is given for cipher one must also be "
                            "given for passphrase");
            return NULL;
        }
        if (pyossl_name_arg(cipher, "cipher must be a str", &name) < 0)
            return NULL;
        evp_cipher = name != NULL ? EVP_get_cipherbyname(name) : NULL;
        if (evp_cipher == NULL) {
            pyossl_clear_errors();
            PyErr_SetString(PyExc_ValueError, "Invalid cipher name");
            return NULL;
        }
    }
    type = crypto_filetype_of(type_obj);
    if (check_passphrase(passphrase, type) < 0 ||
        crypto_filetype_check(type, 1) < 0)
        return NULL;
    out.pkey = ((PKeyObject *)pkey_obj)->pkey;
    out.only_public = ((PKeyObject *)pkey_obj)->only_public;
    out.cipher = evp_cipher;
    out.helper = &helper;
    if (type == CRYPTO_FILETYPE_TEXT &&
        EVP_PKEY_get_id(out.pkey) != EVP_PKEY_RSA) {
        PyErr_SetString(PyExc_TypeError,
                        "Only RSA keys are supported for FILETYPE_TEXT");
        return NULL;
    }
    /* Our own reference: the GIL is released while the key is written, and
     * the passphrase callback (or another thread) may call generate_key()
     * on this PKey, which replaces and frees the EVP_PKEY it held. */
    if (!EVP_PKEY_up_ref(out.pkey))
        return CRYPTO_RAISE(st);
    pyossl_passphrase_init(&helper, passphrase, NULL, 0, 0,
                           st->ErrorValueError);
    result = crypto_dump_object(st, type, write_private_key, &out);
    EVP_PKEY_free(out.pkey);
    return result;
}

/* ------------------------------------------------------------------------
 * Public keys
 * --------------------------------------------------------------------- */

PyDoc_STRVAR(load_publickey_doc,
"load_publickey(type, buffer)\n--\n\n"
"Load a public key (a public-only PKey) from the SubjectPublicKeyInfo in\n"
"*buffer*, encoded with FILETYPE_PEM or FILETYPE_ASN1.");

/* Our callback with no passphrase, as read_x509(). */
static void *
read_public_key(BIO *bio, long type, void *Py_UNUSED(arg))
{
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_read_bio_PUBKEY(bio, NULL, pyossl_passphrase_cb, NULL);
    return d2i_PUBKEY_bio(bio, NULL);
}

static PyObject *
load_publickey(PyObject *module, PyObject *args, PyObject *kwargs)
{
    crypto_state *st = PyModule_GetState(module);
    EVP_PKEY *pkey = crypto_load(st, args, kwargs, "OO:load_publickey",
                                 read_public_key);

    if (pkey == NULL)
        return NULL;
    return crypto_pkey_wrap(st, pkey, 1);
}

PyDoc_STRVAR(dump_publickey_doc,
"dump_publickey(type, pkey)\n--\n\n"
"Dump the public key of *pkey* as a SubjectPublicKeyInfo, PEM or DER.");

static int
write_public_key(BIO *bio, long type, void *obj)
{
    EVP_PKEY *pkey = obj;
    if (type == CRYPTO_FILETYPE_PEM)
        return PEM_write_bio_PUBKEY(bio, pkey) == 1;
    return i2d_PUBKEY_bio(bio, pkey) == 1;
}

static PyObject *
dump_publickey(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"type", "pkey", NULL};
    crypto_state *st = PyModule_GetState(module);
    PyObject *type_obj, *pkey_obj;
    EVP_PKEY *pkey;
    long type;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:dump_publickey",
                                     kwlist, &type_obj, &pkey_obj))
        return NULL;
    type = crypto_filetype_of(type_obj);
    if (crypto_filetype_check(type, 0) < 0)
        return NULL;
    pkey = crypto_pkey_ptr(st, pkey_obj, "pkey");
    if (pkey == NULL)
        return NULL;
    return crypto_dump_object(st, type, write_public_key, pkey);
}

#define FUNC(name) \
    {#name, (PyCFunction)(void (*)(void))name, \
     METH_VARARGS | METH_KEYWORDS, name##_doc}

PyMethodDef crypto_load_dump_methods[] = {
    FUNC(load_certificate),
    FUNC(dump_certificate),
    FUNC(load_privatekey),
    FUNC(dump_privatekey),
    FUNC(load_publickey),
    FUNC(dump_publickey),
    {NULL, NULL, 0, NULL}
};
