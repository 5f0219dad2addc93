/*
 * passphrase.h -- see passphrase.c.
 */
#ifndef PYOSSL_PASSPHRASE_H
#define PYOSSL_PASSPHRASE_H

typedef struct {
    PyObject *passphrase;     /* borrowed: bytes, a callable, or NULL */
    PyObject *userdata;       /* borrowed; passed when more_args */
    int more_args;            /* call passphrase(maxlen, rwflag, userdata)
                                 instead of passphrase(rwflag) */
    int truncate;             /* cut a long passphrase to maxlen instead of
                                 raising ValueError */
    PyObject *bytes_expected; /* class raised for a non-bytes result */
    PyObject *exc_type, *exc_value, *exc_tb;   /* the recorded problem */
} pyossl_passphrase;

PYOSSL_HIDDEN void pyossl_passphrase_init(pyossl_passphrase *h,
                                          PyObject *passphrase,
                                          PyObject *userdata, int more_args,
                                          int truncate,
                                          PyObject *bytes_expected);

/* The pem_password_cb; `u` is the pyossl_passphrase, or NULL for none
 * (then the callback fails the read at once, where OpenSSL's default
 * callback would prompt on the terminal). May be called with or without
 * the GIL. */
PYOSSL_HIDDEN int pyossl_passphrase_cb(char *buf, int size, int rwflag,
                                       void *u);

PYOSSL_HIDDEN int pyossl_passphrase_has_problem(const pyossl_passphrase *h);

/* If a problem was recorded: drain the OpenSSL error queue, raise it and
 * return -1. Otherwise return 0. Needs the GIL. */
PYOSSL_HIDDEN int pyossl_passphrase_raise_if_problem(pyossl_passphrase *h);

/* Forget a recorded problem (needs the GIL). */
PYOSSL_HIDDEN void pyossl_passphrase_clear(pyossl_passphrase *h);

#endif /* PYOSSL_PASSPHRASE_H */
