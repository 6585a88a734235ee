/* SPDX-License-Identifier: MIT */
/* hiredis event adapter for H2O's evloop. hiredis does its own reading and writing; h2o
 * only tells it when the socket is ready. h2o owns a dup() of hiredis's fd, so each side
 * closes its own descriptor. Error and hang-up readiness reach hiredis as readable. */
#include <stdlib.h>
#include <unistd.h>
#include "store/redis.h"
#include <h2o/socket/evloop.h>

struct adapter {
    redisAsyncContext *ac;
    h2o_socket_t *sock;
    bool reading;
    bool want_write;
    bool write_armed; /* h2o allows one pending write notification at a time */
};

static void on_readable(h2o_socket_t *sock, const char *err)
{
    struct adapter *a = sock->data;
    redisAsyncHandleRead(a->ac);
}

static void on_writable(h2o_socket_t *sock, const char *err)
{
    struct adapter *a = sock->data;
    a->write_armed = false;
    if (!a->want_write)
        return;
    a->want_write = false;
    /* Unlike the stock adapters we pass errors on: hiredis finds them itself via
     * SO_ERROR or a failed write, and tears the connection down with a status. */
    redisAsyncHandleWrite(a->ac);
}

static void add_read(void *privdata)
{
    struct adapter *a = privdata;
    if (!a->reading) {
        a->reading = true;
        h2o_socket_read_start(a->sock, on_readable);
    }
}

static void del_read(void *privdata)
{
    struct adapter *a = privdata;
    if (a->reading) {
        a->reading = false;
        h2o_socket_read_stop(a->sock);
    }
}

static void add_write(void *privdata)
{
    struct adapter *a = privdata;
    a->want_write = true;
    if (!a->write_armed) {
        a->write_armed = true;
        h2o_socket_notify_write(a->sock, on_writable);
    }
}

static void del_write(void *privdata)
{
    struct adapter *a = privdata;
    a->want_write = false;
}

static void cleanup(void *privdata)
{
    struct adapter *a = privdata;
    h2o_socket_close(a->sock);
    free(a);
}

int sg__redis_attach(redisAsyncContext *ac, h2o_loop_t *loop)
{
    if (ac->ev.data != NULL)
        return -1;
    int fd = dup(ac->c.fd);
    if (fd == -1)
        return -1;
    struct adapter *a = calloc(1, sizeof(*a));
    if (a == NULL)
        abort();
    a->ac = ac;
    a->sock = h2o_evloop_socket_create(loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    a->sock->data = a;
    ac->ev.data = a;
    ac->ev.addRead = add_read;
    ac->ev.delRead = del_read;
    ac->ev.addWrite = add_write;
    ac->ev.delWrite = del_write;
    ac->ev.cleanup = cleanup;
    return 0;
}
