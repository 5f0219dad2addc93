/*
 * x509req.c -- OpenSSL.crypto.X509Req (not written yet: this file registers
 * nothing until it is).
 */
#include "crypto.h"

int
crypto_x509req_register(PyObject *module, crypto_state *st)
{
    (void)module;
    (void)st;
    return 0;
}
