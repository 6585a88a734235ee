/* SPDX-License-Identifier: MIT */
/* The HTTP/1.1 server on H2O's evloop: one event loop per thread, each with its own
 * listening socket on the shared port (SO_REUSEPORT: the kernel spreads connections), its
 * own h2o context and its own store (Redis connections), all serving the same read-only
 * app data. The main thread runs loop 0 and watches the signals; a stop is handed to the
 * other loops through their h2o queues. Each loop then stops gracefully: closes its
 * listener, ends its live streams, lets open requests finish, and disposes. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
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
#include "http/core/metrics.h"
#include "http/core/routes.h"
#include "http/report/report.h"

#define SHUTDOWN_GRACE_MS 3000
#define FILECACHE_ENTRIES 256
#define THREADS_MAX 64

struct loop {
    unsigned index;
    const struct sg_server_config *cfg;
    struct sg_app app; /* the template's data, this loop's store */
    h2o_evloop_t *evloop;
    h2o_globalconf_t config;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    h2o_socket_t *signals; /* loop 0 only */
    h2o_multithread_receiver_t stopper;
    size_t connections;
    bool stop;
    atomic_bool ready; /* running its loop: a stop now reaches it through its queue */
    int fd, status;
    pthread_t tid;
    struct signalfd_siginfo stopped_by; /* said in the log: which signal, from which process */
};

struct stop_message {
    h2o_multithread_message_t super;
};

static struct loop *loops; /* reachable until exit: h2o 2.2.5 cannot destroy a loop */
static unsigned nloops;
static atomic_bool stopping; /* a signal came: loops not yet running see it before they start */
static pthread_mutex_t finished_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t finished_cond = PTHREAD_COND_INITIALIZER;
static unsigned finished; /* loop threads done (under finished_lock) */

static void on_connection_close(void *data)
{
    struct loop *l = data;
    --l->connections;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct loop *l = listener->data;
    h2o_socket_t *sock;
    if (err != NULL)
        return;
    while ((sock = h2o_evloop_socket_accept(listener)) != NULL) {
        ++l->connections;
        sock->on_close.cb = on_connection_close;
        sock->on_close.data = l;
        h2o_accept(&l->accept_ctx, sock);
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
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(fd, SOMAXCONN) != 0) {
        fprintf(stderr, "songgong: cannot listen on %s:%d: %s\n", host, port, strerror(errno));
        if (fd != -1)
            close(fd);
        return -1;
    }
    return fd;
}

static void stop_all(void)
{
    atomic_store(&stopping, true);
    for (unsigned i = 1; i < nloops; ++i) {
        if (!atomic_load(&loops[i].ready))
            continue;
        struct stop_message *m = calloc(1, sizeof(*m));
        if (m == NULL)
            abort();
        h2o_multithread_send_message(&loops[i].stopper, &m->super);
    }
}

static void on_signal(h2o_socket_t *sock, const char *err)
{
    struct loop *l = sock->data;
    struct signalfd_siginfo info;
    while (read(h2o_socket_get_fd(sock), &info, sizeof(info)) == sizeof(info)) {
        if (!l->stop)
            l->stopped_by = info;
        l->stop = true;
    }
    stop_all();
}

static void on_stop_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct loop *l = H2O_STRUCT_FROM_MEMBER(struct loop, stopper, receiver);
    while (!h2o_linklist_is_empty(messages)) {
        struct stop_message *m = H2O_STRUCT_FROM_MEMBER(struct stop_message, super.link, messages->next);
        h2o_linklist_unlink(&m->super.link);
        free(m);
    }
    l->stop = true;
}

static int watch_signals(struct loop *l)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd == -1)
        return -1;
    l->signals = h2o_evloop_socket_create(l->evloop, fd, H2O_SOCKET_FLAG_DONT_READ);
    l->signals->data = l;
    h2o_socket_read_start(l->signals, on_signal);
    return 0;
}

/* This loop's store, configuration, routes and context; 0, or -1 with the reason on stderr. */
static int setup(struct loop *l)
{
    const char *err = NULL;
    l->evloop = h2o_evloop_create();
    l->app = *l->cfg->app;
    if ((l->app.store = sg_store_new(l->evloop, &l->cfg->store, &err)) == NULL) {
        fprintf(stderr, "songgong: %s (%s)\n", err, l->cfg->store.key_file);
        return -1;
    }
    h2o_config_init(&l->config);
    l->config.max_request_entity_size = 1024 * 1024; /* handlers set tighter limits, with JSON errors */
    l->config.server_name = h2o_iovec_init(H2O_STRLIT("songgong"));
    l->config.filecache.capacity = FILECACHE_ENTRIES; /* off by default: one open/fstat/close per request */
    l->config.http1.upgrade_to_http2 = 0;             /* no cleartext HTTP/2 (h2c): nginx speaks HTTP/1.1 to us */
    h2o_hostconf_t *hostconf = h2o_config_register_host(&l->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    if (l->index == 0)
        sg_metrics_configure(
            &(struct sg_metrics_config){.access_log = l->app.access_log, .token = l->app.metrics_token});
    sg_http_routes(hostconf, &l->app);
    h2o_context_init(&l->ctx, l->evloop, &l->config);
    h2o_multithread_register_receiver(l->ctx.queue, &l->stopper, on_stop_message);
    sg_pwhash_start(l->ctx.queue);
    sg_offload_start(l->ctx.queue);
    l->accept_ctx.ctx = &l->ctx;
    l->accept_ctx.hosts = l->config.hosts;
    l->listener = h2o_evloop_socket_create(l->evloop, l->fd, H2O_SOCKET_FLAG_DONT_READ);
    l->listener->data = l;
    h2o_socket_read_start(l->listener, on_accept);
    return 0;
}

static bool busy(const struct loop *l)
{
    return l->connections != 0 || sg_pwhash_pending() != 0 || sg_offload_pending() != 0;
}

static void shutdown_gracefully(struct loop *l)
{
    h2o_socket_read_stop(l->listener);
    h2o_socket_close(l->listener);
    if (l->signals != NULL)
        h2o_socket_close(l->signals);
    sg_stats_streams_close(); /* event streams never end by themselves */
    h2o_context_request_shutdown(&l->ctx);
    uint64_t deadline = h2o_now(l->evloop) + SHUTDOWN_GRACE_MS;
    while (busy(l) && h2o_now(l->evloop) < deadline)
        h2o_evloop_run(l->evloop, 100);
    if (sg_pwhash_pending() == 0)
        sg_pwhash_stop();
    if (sg_offload_pending() == 0)
        sg_offload_stop();
    /* h2o 2.2.5 leaves its graceful-shutdown timer linked; dispose asserts otherwise */
    if (h2o_timeout_is_linked(&l->ctx.http2._graceful_shutdown_timeout))
        h2o_timeout_unlink(&l->ctx.http2._graceful_shutdown_timeout);
    sg_metrics_flush();
    if (!busy(l)) { /* else receivers and connections still hold the context */
        h2o_multithread_unregister_receiver(l->ctx.queue, &l->stopper);
        h2o_context_dispose(&l->ctx);
        h2o_config_dispose(&l->config);
        sg_store_free(l->app.store);
        l->app.store = NULL;
    }
}

static void run(struct loop *l)
{
    atomic_store(&l->ready, true);
    if (atomic_load(&stopping))
        l->stop = true;
    while (!l->stop) {
        h2o_evloop_run(l->evloop, INT32_MAX);
        h2o_filecache_clear(l->ctx.filecache);
    }
    shutdown_gracefully(l);
}

/* A loop thread never exits: h2o keeps per-thread memory (its recycling allocators) that
 * a thread's exit would leave unreachable. It says it is done and waits for the process
 * to end. */
static void *thread_main(void *arg)
{
    struct loop *l = arg;
    char name[16];
    snprintf(name, sizeof(name), "sg-loop-%u", l->index);
    pthread_setname_np(pthread_self(), name);
    if (setup(l) == 0)
        run(l);
    else
        l->status = -1;
    pthread_mutex_lock(&finished_lock);
    ++finished;
    pthread_cond_signal(&finished_cond);
    pthread_mutex_unlock(&finished_lock);
    for (;;)
        pause();
    return NULL;
}

static void close_fds(unsigned from)
{
    for (unsigned i = from; i < nloops; ++i)
        if (loops[i].fd != -1)
            close(loops[i].fd);
}

int sg_server_run(const struct sg_server_config *cfg)
{
    sigset_t mask;
    nloops = cfg->threads >= 1 && cfg->threads <= THREADS_MAX ? cfg->threads : 1;
    if ((loops = calloc(nloops, sizeof(*loops))) == NULL)
        abort();
    for (unsigned i = 0; i != nloops; ++i) {
        loops[i].index = i;
        loops[i].cfg = cfg;
        loops[i].fd = -1;
        if ((loops[i].fd = open_listener(cfg->host, cfg->port)) == -1) {
            close_fds(0);
            return -1;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    /* blocked in every thread (they inherit it): only loop 0's signalfd takes them */
    if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0 || setup(&loops[0]) != 0 || watch_signals(&loops[0]) != 0) {
        fprintf(stderr, "songgong: cannot start the first event loop\n");
        close_fds(1);
        return -1;
    }
    /* loop 0 made the worker threads: the others only attach to them */
    for (unsigned i = 1; i != nloops; ++i)
        if (pthread_create(&loops[i].tid, NULL, thread_main, &loops[i]) != 0)
            abort();
    fprintf(stderr, "songgong: listening on http://%s:%d (%u event loop%s)\n", cfg->host, cfg->port, nloops,
            nloops == 1 ? "" : "s");
    run(&loops[0]);
    fprintf(stderr, "songgong: stopping (%s from pid %u)\n", strsignal((int)loops[0].stopped_by.ssi_signo),
            (unsigned)loops[0].stopped_by.ssi_pid);
    pthread_mutex_lock(&finished_lock);
    while (finished != nloops - 1)
        pthread_cond_wait(&finished_cond, &finished_lock);
    pthread_mutex_unlock(&finished_lock);
    int status = loops[0].status;
    for (unsigned i = 1; i != nloops; ++i)
        status = status != 0 ? status : loops[i].status;
    if (sg_offload_queued() == 0) /* else a PDF may still be drawing on the worker */
        sg_manifest_pdf_cleanup();
    return status;
}
