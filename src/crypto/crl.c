/*
 * crl.c -- OpenSSL.crypto.CRL (not written yet: this file registers
 * nothing until it is).
 */
#include "crypto.h"

int
crypto_crl_register(PyObject *module, crypto_state *st)
{
    (void)module;
    (void)st;
    return 0;
}
