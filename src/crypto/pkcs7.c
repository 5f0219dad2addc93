/*
 * pkcs7.c -- OpenSSL.crypto.PKCS7 (not written yet: this file registers
 * nothing until it is).
 */
#include "crypto.h"

int
crypto_pkcs7_register(PyObject *module, crypto_state *st)
{
    (void)module;
    (void)st;
    return 0;
}
