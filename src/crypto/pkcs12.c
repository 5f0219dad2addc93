/*
 * pkcs12.c -- OpenSSL.crypto.PKCS12 (not written yet: this file registers
 * nothing until it is).
 */
#include "crypto.h"

int
crypto_pkcs12_register(PyObject *module, crypto_state *st)
{
    (void)module;
    (void)st;
    return 0;
}
