/*
 * x509store.c -- OpenSSL.crypto.X509Store (not written yet: this file registers
 * nothing until it is).
 */
#include "crypto.h"

int
crypto_x509store_register(PyObject *module, crypto_state *st)
{
    (void)module;
    (void)st;
    return 0;
}

PyObject *
crypto_x509store_from_ptr(crypto_state *st, X509_STORE *store,
                          PyObject *owner)
{
    (void)st;
    (void)store;
    (void)owner;
    PyErr_SetString(PyExc_NotImplementedError, "X509Store");
    return NULL;
}
