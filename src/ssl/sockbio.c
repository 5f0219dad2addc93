/*
 * sockbio.c -- the filter BIO in front of a Connection's socket.
 *
 * A handshake holds its Context's lock shared (lock.c), so that no mutation
 * of the SSL_CTX runs while OpenSSL reads it. On a blocking socket most of
 * a handshake is spent waiting for the peer, and a peer that stalls would
 * keep that hold -- and, since waiting mutators block new holds, every new
 * Connection and handshake on the Context -- for as long as it likes. So
 * the Connection's socket BIO sits behind this filter, which lets go of the
 * Context while the thread waits in the kernel and takes it back before
 * OpenSSL goes on. OpenSSL keeps nothing of the SSL_CTX across a read or a
 * write that the lock would have to protect: a message is read, then
 * processed under the lock.
 *
 * The filter only acts when the I/O section made the Connection's io_ctx
 * known, which it does only when it released the GIL (io.c); it then runs
 * without the GIL, so it uses the _nogil lock functions. Everything else
 * (ctrl calls, retry flags) passes through to the socket BIO.
 */
#include "ssl.h"

#include <errno.h>
#include <pthread.h>

static BIO_METHOD *filter_method;
static pthread_once_t filter_once = PTHREAD_ONCE_INIT;

/* Let go of the Context held by the current I/O section, if any. */
static ContextObject *
unhold(BIO *b)
{
    ConnectionObject *conn = BIO_get_data(b);
    ContextObject *held = conn != NULL ? conn->io_ctx : NULL;
    if (held != NULL)
        pyossl_rwlock_release_shared_nogil(&held->lock);
    return held;
}

static void
rehold(ContextObject *held)
{
    if (held != NULL) {
        int saved = errno;      /* io.c reads errno after the SSL call */
        pyossl_rwlock_acquire_shared_nogil(&held->lock);
        errno = saved;
    }
}

static int
filter_write(BIO *b, const char *buf, int len)
{
    BIO *next = BIO_next(b);
    ContextObject *held;
    int ret;

    if (next == NULL)
        return 0;
    held = unhold(b);
    BIO_clear_retry_flags(b);
    ret = BIO_write(next, buf, len);
    BIO_copy_next_retry(b);
    rehold(held);
    return ret;
}

static int
filter_read(BIO *b, char *buf, int len)
{
    BIO *next = BIO_next(b);
    ContextObject *held;
    int ret;

    if (next == NULL)
        return 0;
    held = unhold(b);
    BIO_clear_retry_flags(b);
    ret = BIO_read(next, buf, len);
    BIO_copy_next_retry(b);
    rehold(held);
    return ret;
}

static long
filter_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    BIO *next = BIO_next(b);
    if (next == NULL)
        return 0;
    return BIO_ctrl(next, cmd, num, ptr);
}

static long
filter_callback_ctrl(BIO *b, int cmd, BIO_info_cb *fp)
{
    BIO *next = BIO_next(b);
    if (next == NULL)
        return 0;
    return BIO_callback_ctrl(next, cmd, fp);
}

static int
filter_create(BIO *b)
{
    BIO_set_init(b, 1);
    return 1;
}

static int
filter_destroy(BIO *b)
{
    return b != NULL;
}

static void
make_method(void)
{
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_FILTER,
                                 "pyOpenSSL socket lock filter");
    if (m == NULL)
        return;
    if (!BIO_meth_set_write(m, filter_write) ||
        !BIO_meth_set_read(m, filter_read) ||
        !BIO_meth_set_ctrl(m, filter_ctrl) ||
        !BIO_meth_set_callback_ctrl(m, filter_callback_ctrl) ||
        !BIO_meth_set_create(m, filter_create) ||
        !BIO_meth_set_destroy(m, filter_destroy)) {
        BIO_meth_free(m);
        return;
    }
    filter_method = m;
}

BIO *
ssl_socket_bio_new(ConnectionObject *conn, int fd)
{
    BIO *sock, *filter;

    if (pthread_once(&filter_once, make_method) != 0 ||
        filter_method == NULL) {
        ERR_raise(ERR_LIB_BIO, ERR_R_MALLOC_FAILURE);
        return NULL;
    }
    sock = BIO_new_socket(fd, BIO_NOCLOSE);
    if (sock == NULL)
        return NULL;
    filter = BIO_new(filter_method);
    if (filter == NULL) {
        BIO_free(sock);
        return NULL;
    }
    BIO_set_data(filter, conn);
    return BIO_push(filter, sock);
}
