/*
 * lock.c -- the Context reader/writer lock and the Connection lock.
 *
 * Why a Context lock (API.md 3.4): this project keeps pyOpenSSL's old rule
 * that a Context may be changed after Connections were made from it
 * (Twisted, urllib3 and Scrapy rely on it), but OpenSSL does not allow an
 * SSL_CTX to change while another thread runs SSL_new or a handshake that
 * reads it (a cipher list being replaced while a handshake walks it is a
 * use-after-free). So mutators are exclusive and readers shared, with
 * writer preference so that a stream of handshakes cannot starve a mutator.
 *
 * Deadlocks we rule out:
 *  - GIL vs lock: a thread never blocks on a lock while holding the GIL
 *    (the holder may need the GIL for a callback); acquire functions try
 *    first and release the GIL only to wait.
 *  - Writer preference across Contexts: a thread that holds one Context
 *    shared and asks for another shared (a servername callback calling
 *    set_context) does not wait behind waiting writers, only behind an
 *    active one; see pyossl_rwlock_acquire_shared.
 *  - A callback mutating a Context: its thread holds the Context of its
 *    handshake shared. Waiting for exclusivity while holding it would
 *    wait for itself (its own Context), or for another thread whose
 *    callback mutates this thread's Context (two handshakes mutating each
 *    other's Context). So while a thread waits for or holds any Context
 *    exclusively, it sets all its shared holds aside (its handshake is
 *    paused inside the callback, not reading any SSL_CTX), and takes them
 *    back afterwards, waiting only for a writer that got in meanwhile.
 *    Each thread remembers its shared holds in a small thread-local
 *    table.
 *  - Lock order: a Connection lock is always taken before a Context lock,
 *    and Context mutators never take Connection locks.
 */
#include "../common/pyossl.h"
#include "lock.h"

/* ------------------------------------------------------------------------
 * Which shared holds this thread has
 * --------------------------------------------------------------------- */

/* The holds of one lock taken at one exclusive depth (see below): a
 * thread holding some Context exclusively may run Python code (a
 * passphrase callback inside a key load) that takes shared holds of its
 * own, which a nested exclusive hold then sets aside, and which must be
 * taken back when that nested hold ends, not only when the outermost
 * does. */
typedef struct {
    pyossl_rwlock *lock;
    int level;      /* exclusive_depth when these holds were taken */
    int count;      /* shared holds of `lock` by this thread */
    int aside;      /* how many of them are set aside (not in readers) */
} held_slot;

/* The table lives in a small thread-local array; a thread that holds more
 * Contexts at once (handshakes nested through callbacks: io.c allows 32)
 * moves it to the heap, and back once it holds nothing. Every hold must be
 * known: a hold the table missed would not be set aside, so a callback
 * mutating that Context would wait for its own thread forever. */
#define HELD_INLINE 16

static _Thread_local held_slot held_inline[HELD_INLINE];
static _Thread_local held_slot *held_heap;  /* NULL: held_inline is used */
static _Thread_local int held_heap_size;
static _Thread_local int held_used;         /* slots in use */

static inline held_slot *
held_table(int *size)
{
    if (held_heap != NULL) {
        *size = held_heap_size;
        return held_heap;
    }
    *size = HELD_INLINE;
    return held_inline;
}

/* Exclusive holds (and waits for one) of this thread, all locks together:
 * its shared holds taken at a smaller depth are set aside. */
static _Thread_local int exclusive_depth;

/* This thread's shared holds of `l` that count in l->readers. */
static int
held_count(pyossl_rwlock *l)
{
    int i, n, count = 0;
    held_slot *held = held_table(&n);
    for (i = 0; i < n; i++)
        if (held[i].lock == l)
            count += held[i].count - held[i].aside;
    return count;
}

/* Whether this thread holds any rwlock shared. */
static int
held_any(void)
{
    return held_used > 0;
}

/* A free slot, the table grown if it is full; NULL if out of memory.
 * Runs with or without the GIL: plain malloc. */
static held_slot *
held_free_slot(void)
{
    int i, n;
    held_slot *held = held_table(&n), *bigger;

    for (i = 0; i < n; i++)
        if (held[i].lock == NULL)
            return &held[i];
    bigger = calloc((size_t)n * 2, sizeof(*bigger));
    if (bigger == NULL)
        return NULL;
    memcpy(bigger, held, (size_t)n * sizeof(*held));
    if (held_heap != NULL)
        free(held_heap);
    else
        memset(held_inline, 0, sizeof(held_inline));
    held_heap = bigger;
    held_heap_size = n * 2;
    return &bigger[n];
}

/* Record a new shared hold of `l`, taken at the current depth. */
static void
held_add(pyossl_rwlock *l)
{
    int i, size;
    held_slot *held = held_table(&size), *slot;

    for (i = 0; i < size; i++) {
        if (held[i].lock == l && held[i].level == exclusive_depth) {
            held[i].count++;
            return;
        }
    }
    /* Out of memory: the hold still counts in l->readers, it is just not
     * known as this thread's. */
    slot = held_free_slot();
    if (slot == NULL)
        return;
    slot->lock = l;
    slot->level = exclusive_depth;
    slot->count = 1;
    slot->aside = 0;
    held_used++;
}

/* Forget a shared hold of `l`: one taken at the current depth if there is
 * one (holds are given back in the order they were taken). Returns whether
 * it counted in l->readers: a hold that is set aside does not. */
static int
held_remove(pyossl_rwlock *l)
{
    int i, size, counted;
    held_slot *held = held_table(&size), *slot = NULL;

    for (i = 0; i < size; i++) {
        if (held[i].lock == l &&
            (slot == NULL || held[i].level > slot->level))
            slot = &held[i];
    }
    if (slot == NULL)
        return 1;       /* one the table could not record */
    counted = slot->count > slot->aside;
    slot->count--;
    if (!counted)
        slot->aside--;
    if (slot->count <= 0) {
        slot->lock = NULL;
        slot->count = 0;
        slot->aside = 0;
        if (--held_used == 0 && held_heap != NULL) {
            free(held_heap);
            held_heap = NULL;
        }
    }
    return counted;
}

/* ------------------------------------------------------------------------
 * Reader/writer lock
 * --------------------------------------------------------------------- */

int
pyossl_rwlock_init(pyossl_rwlock *l)
{
    l->readers = 0;
    l->writer = 0;
    l->writers_waiting = 0;
    if (pthread_mutex_init(&l->mutex, NULL) != 0)
        return -1;
    if (pthread_cond_init(&l->cond, NULL) != 0) {
        pthread_mutex_destroy(&l->mutex);
        return -1;
    }
    return 0;
}

void
pyossl_rwlock_destroy(pyossl_rwlock *l)
{
    pthread_cond_destroy(&l->cond);
    pthread_mutex_destroy(&l->mutex);
}

/* Whether the calling thread holds the GIL. The lock functions are called
 * with the GIL, except the _nogil ones, used by the socket filter BIO
 * (sockbio.c) from inside OpenSSL calls made without it. */
static _Thread_local int no_gil;

/* Lock the internal mutex, releasing the GIL only if it is contended. */
static void
lock_mutex(pthread_mutex_t *m)
{
    if (pthread_mutex_trylock(m) == 0)
        return;
    if (no_gil) {
        pthread_mutex_lock(m);
        return;
    }
    Py_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(m);
    Py_END_ALLOW_THREADS
}

/* Wait on the condition with the GIL released. The mutex is held. */
static void
wait_cond(pyossl_rwlock *l)
{
    if (no_gil) {
        pthread_cond_wait(&l->cond, &l->mutex);
        return;
    }
    Py_BEGIN_ALLOW_THREADS
    pthread_cond_wait(&l->cond, &l->mutex);
    Py_END_ALLOW_THREADS
}

static int
writer_is_me(const pyossl_rwlock *l)
{
    return l->writer > 0 && pthread_equal(l->writer_thread, pthread_self());
}

void
pyossl_rwlock_acquire_shared(pyossl_rwlock *l)
{
    int mine = held_count(l);
    /* A thread that already holds some Context shared is inside a
     * handshake (a servername callback calling set_context(), say): it
     * waits for an active writer only, not for waiting ones. Otherwise two
     * handshakes switching into each other's Context while both Contexts
     * have a mutator waiting would wait for each other forever. */
    int others = mine == 0 && held_any();
    lock_mutex(&l->mutex);
    if (mine == 0 && !writer_is_me(l)) {
        while (l->writer || (l->writers_waiting && !others))
            wait_cond(l);
    }
    l->readers++;
    pthread_mutex_unlock(&l->mutex);
    held_add(l);
}

void
pyossl_rwlock_release_shared(pyossl_rwlock *l)
{
    if (!held_remove(l))
        return;         /* set aside: not in l->readers */
    lock_mutex(&l->mutex);
    l->readers--;
    if (l->readers == 0 && l->writers_waiting)
        pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->mutex);
}

/* Set aside this thread's shared holds of every lock (see the top): they
 * leave the locks' reader counts, and writers waiting for them are woken.
 * One internal mutex at a time. */
static void
set_aside_holds(void)
{
    int i, size;
    held_slot *held = held_table(&size);
    for (i = 0; i < size; i++) {
        pyossl_rwlock *l = held[i].lock;
        int n = held[i].count - held[i].aside;
        if (l == NULL || n <= 0)
            continue;
        lock_mutex(&l->mutex);
        l->readers -= n;
        if (l->readers == 0 && l->writers_waiting)
            pthread_cond_broadcast(&l->cond);
        pthread_mutex_unlock(&l->mutex);
        held[i].aside += n;
    }
}

/* Take back the holds taken at depth `level`, which the exclusive hold
 * that just ended set aside (those taken further out stay aside until the
 * exclusive holds around them end). Other threads' handshakes may have
 * started meanwhile, which is fine for shared holds; wait only for a
 * writer that got in first. */
static void
take_back_holds(int level)
{
    int i, size;
    held_slot *held = held_table(&size);
    for (i = 0; i < size; i++) {
        pyossl_rwlock *l = held[i].lock;
        int n = held[i].aside;
        if (l == NULL || n <= 0 || held[i].level != level)
            continue;
        lock_mutex(&l->mutex);
        while (l->writer && !writer_is_me(l))
            wait_cond(l);
        l->readers += n;
        pthread_mutex_unlock(&l->mutex);
        held[i].aside = 0;
    }
}

void
pyossl_rwlock_release_shared_nogil(pyossl_rwlock *l)
{
    no_gil = 1;
    pyossl_rwlock_release_shared(l);
    no_gil = 0;
}

void
pyossl_rwlock_acquire_shared_nogil(pyossl_rwlock *l)
{
    no_gil = 1;
    pyossl_rwlock_acquire_shared(l);
    no_gil = 0;
}

int
pyossl_rwlock_acquire_exclusive(pyossl_rwlock *l)
{
    set_aside_holds();
    exclusive_depth++;
    lock_mutex(&l->mutex);
    if (writer_is_me(l)) {
        l->writer++;            /* nested: a callback inside a mutation */
        pthread_mutex_unlock(&l->mutex);
        return -1;
    }
    l->writers_waiting++;
    while (l->writer || l->readers > 0)
        wait_cond(l);
    l->writers_waiting--;
    l->writer = 1;
    l->writer_thread = pthread_self();
    pthread_mutex_unlock(&l->mutex);
    return 0;
}

void
pyossl_rwlock_release_exclusive(pyossl_rwlock *l, int token)
{
    lock_mutex(&l->mutex);
    l->writer--;
    if (token >= 0)             /* not the end of a nested hold */
        pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->mutex);
    take_back_holds(--exclusive_depth);
}

/* ------------------------------------------------------------------------
 * Recursive Connection lock
 * --------------------------------------------------------------------- */

int
pyossl_reclock_init(pyossl_reclock *l)
{
    pthread_mutexattr_t attr;
    int rc;
    if (pthread_mutexattr_init(&attr) != 0)
        return -1;
    rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    if (rc == 0)
        rc = pthread_mutex_init(&l->mutex, &attr);
    pthread_mutexattr_destroy(&attr);
    return rc == 0 ? 0 : -1;
}

void
pyossl_reclock_destroy(pyossl_reclock *l)
{
    pthread_mutex_destroy(&l->mutex);
}

void
pyossl_reclock_acquire(pyossl_reclock *l)
{
    lock_mutex(&l->mutex);
}

void
pyossl_reclock_release(pyossl_reclock *l)
{
    pthread_mutex_unlock(&l->mutex);
}
