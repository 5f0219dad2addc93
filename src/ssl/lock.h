/*
 * lock.h -- the two locks of OpenSSL.SSL (see lock.c for the design).
 *
 *   pyossl_rwlock    one per Context: mutators of the SSL_CTX hold it
 *                    exclusively; SSL_new, SSL_set_SSL_CTX and handshakes on
 *                    SSL objects made from it hold it shared.
 *   pyossl_reclock   one per Connection: a recursive mutex held around every
 *                    call into its SSL, so that two threads using one
 *                    Connection take turns instead of corrupting it, while a
 *                    callback running inside a call may still call methods of
 *                    the same Connection.
 *
 * All acquire functions are called with the GIL held; they release the GIL
 * only if they have to wait, so that the thread holding the lock can take
 * the GIL in a callback.
 */
#ifndef PYOSSL_SSL_LOCK_H
#define PYOSSL_SSL_LOCK_H

#include <pthread.h>

typedef struct {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    int readers;            /* shared holds, all threads together */
    int writer;             /* exclusive holds (nested on one thread) */
    pthread_t writer_thread;    /* valid while writer > 0 */
    int writers_waiting;    /* exclusive requests waiting: new readers wait */
} pyossl_rwlock;

int pyossl_rwlock_init(pyossl_rwlock *l);
void pyossl_rwlock_destroy(pyossl_rwlock *l);

/* Shared hold. A thread that already holds `l` shared gets another hold at
 * once, even with writers waiting (it is usually a callback of its own
 * handshake creating a Connection); so does the thread holding `l`
 * exclusively (a passphrase callback inside a key load, say). */
void pyossl_rwlock_acquire_shared(pyossl_rwlock *l);
void pyossl_rwlock_release_shared(pyossl_rwlock *l);

/* The same, for a thread that does not hold the GIL (the socket filter BIO
 * letting go of its Context while it waits in the kernel). */
void pyossl_rwlock_acquire_shared_nogil(pyossl_rwlock *l);
void pyossl_rwlock_release_shared_nogil(pyossl_rwlock *l);

/* Exclusive hold. If this thread holds any lock shared (a callback inside
 * a handshake that mutates a Context), those holds are set aside while it
 * waits for and holds `l`, and given back by the matching release (those
 * taken before an enclosing exclusive hold, when that one ends). The
 * exclusive hold is recursive on one thread; the returned token tells
 * release whether this hold was a nested one. */
int pyossl_rwlock_acquire_exclusive(pyossl_rwlock *l);
void pyossl_rwlock_release_exclusive(pyossl_rwlock *l, int token);

typedef struct {
    pthread_mutex_t mutex;
} pyossl_reclock;

int pyossl_reclock_init(pyossl_reclock *l);
void pyossl_reclock_destroy(pyossl_reclock *l);
void pyossl_reclock_acquire(pyossl_reclock *l);
void pyossl_reclock_release(pyossl_reclock *l);

#endif /* PYOSSL_SSL_LOCK_H */
