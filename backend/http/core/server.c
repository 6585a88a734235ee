/* SPDX-License-Identifier: MIT */
/* The HTTP/1.1 server on H2O's evloop: listener, context, file cache, signals, and a
 * graceful stop (close the listener, let open requests finish, then dispose). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include "print/manifest.h"
#include "service/offload.h"
#include "service/pwhash.h"
#include "service/server.h"
#include "http/core/routes.h"
#include "http/report/report.h"

#define SHUTDOWN_GRACE_MS 3000
#define FILECACHE_ENTRIES 256

struct server {
    h2o_globalconf_t config;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    h2o_socket_t *signals;
    size_t connections;
    int stop;
    struct signalfd_siginfo stopped_by; /* said in the log: which signal, from which process */
};

static void on_connection_close(void *data)
{
    struct server *s = data;
    --s->connections;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct server *s = listener->data;
    h2o_socket_t *sock;
    if (err != NULL)
        return;
    while ((sock = h2o_evloop_socket_accept(listener)) != NULL) {
        ++s->connections;
        sock->on_close.cb = on_connection_close;
        sock->on_close.data = s;
        h2o_accept(&s->accept_ctx, sock);
    }
}

static int open_listener(const char *host, int port)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "songgong: the listen address must be a numeric IPv4 address: %s\n", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(fd, SOMAXCONN) != 0) {
        fprintf(stderr, "songgong: cannot listen on %s:%d: %s\n", host, port, strerror(errno));
        if (fd != -1)
            close(fd);
        return -1;
    }
    return fd;
}

static void on_signal(h2o_socket_t *sock, const char *err)
{
    struct server *s = sock->data;
    struct signalfd_siginfo info;
    while (read(h2o_socket_get_fd(sock), &info, sizeof(info)) == sizeof(info)) {
        s->stopped_by = info;
        s->stop = 1;
    }
}

static int watch_signals(struct server *s, h2o_evloop_t *loop)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0)
        return -1;
    int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd == -1)
        return -1;
    s->signals = h2o_evloop_socket_create(loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    s->signals->data = s;
    h2o_socket_read_start(s->signals, on_signal);
    return 0;
}

static void setup(struct server *s, struct sg_app *app, h2o_evloop_t *loop)
{
    h2o_config_init(&s->config);
    s->config.max_request_entity_size = 1024 * 1024; /* handlers set tighter limits, with JSON errors */
    s->config.server_name = h2o_iovec_init(H2O_STRLIT("songgong"));
    s->config.filecache.capacity = FILECACHE_ENTRIES; /* off by default: one open/fstat/close per request */
    h2o_hostconf_t *hostconf = h2o_config_register_host(&s->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    sg_http_routes(hostconf, app);
    h2o_context_init(&s->ctx, loop, &s->config);
    sg_pwhash_start(s->ctx.queue);
    sg_offload_start(s->ctx.queue);
    s->accept_ctx.ctx = &s->ctx;
    s->accept_ctx.hosts = s->config.hosts;
}

static void shutdown_gracefully(struct server *s, h2o_evloop_t *loop)
{
    h2o_socket_read_stop(s->listener);
    h2o_socket_close(s->listener);
    h2o_socket_close(s->signals);
    sg_stats_streams_close(); /* event streams never end by themselves */
    h2o_context_request_shutdown(&s->ctx);
    uint64_t deadline = h2o_now(loop) + SHUTDOWN_GRACE_MS;
    while ((s->connections != 0 || sg_pwhash_pending() != 0 || sg_offload_pending() != 0) && h2o_now(loop) < deadline)
        h2o_evloop_run(loop, 100);
    if (sg_pwhash_pending() == 0)
        sg_pwhash_stop();
    if (sg_offload_pending() == 0)
        sg_offload_stop();
    /* h2o 2.2.5 leaves its graceful-shutdown timer linked; dispose asserts otherwise */
    if (h2o_timeout_is_linked(&s->ctx.http2._graceful_shutdown_timeout))
        h2o_timeout_unlink(&s->ctx.http2._graceful_shutdown_timeout);
}

int sg_server_run(struct sg_app *app, h2o_evloop_t *loop, const char *host, int port)
{
    static struct server s; /* reachable until exit, whatever connections linger */
    int fd = open_listener(host, port);
    if (fd == -1)
        return -1;
    signal(SIGPIPE, SIG_IGN);
    if (watch_signals(&s, loop) != 0) {
        perror("songgong: signalfd");
        close(fd);
        return -1;
    }
    setup(&s, app, loop);
    s.listener = h2o_evloop_socket_create(loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    s.listener->data = &s;
    h2o_socket_read_start(s.listener, on_accept);
    fprintf(stderr, "songgong: listening on http://%s:%d\n", host, port);
    while (!s.stop) {
        h2o_evloop_run(loop, INT32_MAX);
        h2o_filecache_clear(s.ctx.filecache);
    }
    fprintf(stderr, "songgong: stopping (%s from pid %u)\n", strsignal((int)s.stopped_by.ssi_signo),
            (unsigned)s.stopped_by.ssi_pid);
    shutdown_gracefully(&s, loop);
    if (s.connections == 0 && sg_pwhash_pending() == 0 && sg_offload_pending() == 0) { /* else receivers hold ctx */
        h2o_context_dispose(&s.ctx);
        h2o_config_dispose(&s.config);
    }
    if (sg_offload_pending() == 0) /* else a PDF may still be drawing on the worker */
        sg_manifest_pdf_cleanup();
    return 0;
}
