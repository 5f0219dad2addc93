/*
 * membio.c -- the memory BIOs of a Connection made with socket=None.
 *
 * They behave as OpenSSL's BIO_s_mem() does for a Connection -- a byte
 * queue that never refuses a write, answers a read of an empty queue with
 * "retry", and with end of file once BIO_set_mem_eof_return(bio, 0) was
 * called (bio_shutdown()) -- but without BIO_s_mem()'s costs that matter
 * on the bulk path: BIO_s_mem() zeroes every byte it is about to
 * overwrite (BUF_MEM_grow_clean) and keeps its buffer in a BUF_MEM that
 * grows by reallocation with a memset. Here a write is one memcpy, a read
 * is one memcpy, and the buffer is reused from its start whenever it has
 * been read empty, which is the usual case (a record written, then read).
 *
 * Each BIO is only touched under its Connection's lock, with or without
 * the GIL; nothing here touches Python objects.
 */
#include "ssl.h"

#include <pthread.h>

typedef struct {
    char *data;
    size_t size;            /* allocated */
    size_t start;           /* first unread byte */
    size_t end;             /* one past the last written byte */
    int eof_return;         /* what a read of an empty queue returns */
} membuf;

static BIO_METHOD *membio_method;
static pthread_once_t membio_once = PTHREAD_ONCE_INIT;

/* Make room for `len` more bytes at the end; 0 or -1. */
static int
reserve(membuf *m, size_t len)
{
    size_t used = m->end - m->start, want;
    char *data;

    if (m->size - m->end >= len)
        return 0;
    if (m->start > 0 && m->size - used >= len) {
        /* Enough room once what was read is dropped. */
        memmove(m->data, m->data + m->start, used);
        m->start = 0;
        m->end = used;
        return 0;
    }
    if (len > ((size_t)-1) / 2 - used)
        return -1;
    want = m->size ? m->size : 4096;
    while (want < used + len)
        want *= 2;
    data = OPENSSL_malloc(want);
    if (data == NULL)
        return -1;
    if (used > 0)
        memcpy(data, m->data + m->start, used);
    OPENSSL_free(m->data);
    m->data = data;
    m->size = want;
    m->start = 0;
    m->end = used;
    return 0;
}

static int
membio_write(BIO *b, const char *buf, int len)
{
    membuf *m = BIO_get_data(b);

    BIO_clear_retry_flags(b);
    if (len <= 0)
        return 0;
    if (reserve(m, (size_t)len) < 0) {
        ERR_raise(ERR_LIB_BIO, ERR_R_MALLOC_FAILURE);
        return -1;
    }
    memcpy(m->data + m->end, buf, (size_t)len);
    m->end += (size_t)len;
    return len;
}

static int
membio_read(BIO *b, char *buf, int len)
{
    membuf *m = BIO_get_data(b);
    size_t avail = m->end - m->start, n;

    BIO_clear_retry_flags(b);
    /* Empty first, as BIO_s_mem() does: a read of 0 bytes from an empty
     * queue is "retry" too (bio_read(0) raises WantReadError). */
    if (avail == 0) {
        if (m->eof_return != 0)
            BIO_set_retry_read(b);
        return m->eof_return;
    }
    if (len <= 0)
        return 0;
    n = avail < (size_t)len ? avail : (size_t)len;
    memcpy(buf, m->data + m->start, n);
    m->start += n;
    if (m->start == m->end)
        m->start = m->end = 0;      /* read empty: reuse from the start */
    return (int)n;
}

static long
membio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    membuf *m = BIO_get_data(b);
    size_t avail = m->end - m->start;

    (void)ptr;
    switch (cmd) {
    case BIO_CTRL_PENDING:
        return avail > LONG_MAX ? LONG_MAX : (long)avail;
    case BIO_CTRL_WPENDING:
        return 0;
    case BIO_CTRL_EOF:
        return avail == 0 && m->eof_return == 0;
    case BIO_C_SET_BUF_MEM_EOF_RETURN:
        m->eof_return = (int)num;
        return 1;
    case BIO_CTRL_RESET:
        m->start = m->end = 0;
        return 1;
    case BIO_CTRL_FLUSH:
    case BIO_CTRL_DUP:
        return 1;
    default:
        /* As BIO_s_mem(): no socket, no datagram, no kTLS. */
        return 0;
    }
}

static int
membio_create(BIO *b)
{
    membuf *m = OPENSSL_zalloc(sizeof(*m));
    if (m == NULL)
        return 0;
    m->eof_return = -1;             /* empty means "not yet" */
    BIO_set_data(b, m);
    BIO_set_init(b, 1);
    return 1;
}

static int
membio_destroy(BIO *b)
{
    membuf *m;
    if (b == NULL)
        return 0;
    m = BIO_get_data(b);
    if (m != NULL) {
        OPENSSL_free(m->data);
        OPENSSL_free(m);
        BIO_set_data(b, NULL);
    }
    return 1;
}

static void
make_method(void)
{
    BIO_METHOD *meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
                                    "pyOpenSSL memory");
    if (meth == NULL)
        return;
    if (!BIO_meth_set_write(meth, membio_write) ||
        !BIO_meth_set_read(meth, membio_read) ||
        !BIO_meth_set_ctrl(meth, membio_ctrl) ||
        !BIO_meth_set_create(meth, membio_create) ||
        !BIO_meth_set_destroy(meth, membio_destroy)) {
        BIO_meth_free(meth);
        return;
    }
    membio_method = meth;
}

BIO *
ssl_memory_bio_new(void)
{
    if (pthread_once(&membio_once, make_method) != 0 ||
        membio_method == NULL) {
        ERR_raise(ERR_LIB_BIO, ERR_R_MALLOC_FAILURE);
        return NULL;
    }
    return BIO_new(membio_method);
}
