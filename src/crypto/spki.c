/*
 * spki.c -- OpenSSL.crypto.NetscapeSPKI (not written yet: this file registers
 * nothing until it is).
 */
#include "crypto.h"

int
crypto_spki_register(PyObject *module, crypto_state *st)
{
    (void)module;
    (void)st;
    return 0;
}
