/*
 * x509ext.c -- OpenSSL.crypto.X509Extension (not written yet: this file registers
 * nothing until it is).
 */
#include "crypto.h"

int
crypto_x509ext_register(PyObject *module, crypto_state *st)
{
    (void)module;
    (void)st;
    return 0;
}

PyObject *
crypto_x509ext_from_ptr(crypto_state *st, const X509_EXTENSION *ext)
{
    (void)st;
    (void)ext;
    PyErr_SetString(PyExc_NotImplementedError, "X509Extension");
    return NULL;
}
