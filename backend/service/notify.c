/* SPDX-License-Identifier: MIT */
/* The sender loop (notify.h). One turn: delayed messages now due go back to the outbox;
 * a few events are turned into messages (a vehicle's passengers synced, a push's group
 * read and queued); outside quiet hours a batch of the outbox is delivered on the
 * delivery threads and each message marked sent, put off or given up on; once a day the
 * reminders for tomorrow's departures are queued. The next turn comes at once after a
 * full batch, else after poll_ms. Nothing leaves the outbox before its script says so. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <cjson/cJSON.h>
#include <sodium.h>
#include "domain/err.h"
#include "service/notify.h"
#include "service/notify_internal.h"
#include "service/target.h"
#include "service/worker.h"
#include "store/jobs.h"
#include "store/notify.h"
#include "store/transport.h"

static struct sg_worker *deliverers(void)
{
    static struct sg_worker *w;
    if (w == NULL)
        w = sg_worker_new("sg-deliver", 4, 0);
    return w;
}

static uint64_t now_ms(void)
{
    return sg_app_now_ms();
}

static void today_cn(char out[11])
{
    sg_china_date(now_ms(), out);
}

/* One line per message that is done with (masked phone only). */
static void delivery_log(const struct sg__sender *s, const char *mid, const char *masked, const char *kind,
                         unsigned attempts, const char *result, const char *error)
{
    char line[512], at[32];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%S%z", &tm);
    int n = snprintf(line, sizeof(line), "%s id=sg%s-%s to=%s template=%s attempts=%u result=%s%s%s\n", at, s->province,
                     mid, masked[0] != '\0' ? masked : "-", kind[0] != '\0' ? kind : "-", attempts, result,
                     error[0] != '\0' ? " error=" : "", error);
    int fd = open(s->cfg->delivery_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd >= 0 && n > 0)
        (void)!write(fd, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
    if (fd >= 0)
        close(fd);
}

static void turn(struct sg__sender *s);

static void end_turn(struct sg__sender *s)
{
    s->running = false;
    if (!*s->stop)
        h2o_timeout_link(s->loop, s->full ? &s->soon_timeout : &s->poll_timeout, &s->tick);
}

static void on_tick(h2o_timeout_entry_t *e)
{
    struct sg__sender *s = H2O_STRUCT_FROM_MEMBER(struct sg__sender, tick, e);
    turn(s);
}

/* ---- delivering the outbox -------------------------------------------------------------------- */

struct job {
    struct sg__sender *s;
    struct sg_notify_entry entry;
    struct sg_delivery d;
    char kind[24];
    unsigned attempts;
};

static void job_done(struct job *j)
{
    struct sg__sender *s = j->s;
    sodium_memzero(&j->d, sizeof(j->d));
    free(j);
    if (--s->inflight == 0)
        end_turn(s);
}

static void on_marked(void *data, int status)
{
    job_done(data);
}

static void on_retried(void *data, int status)
{
    struct job *j = data;
    if (status == 1)
        delivery_log(j->s, j->entry.ref, j->d.masked, j->kind, j->attempts + 1, "dead", j->d.error);
    job_done(j);
}

/* Try again after the backoff of this attempt, or give up (refused: at once). */
static void retry(struct job *j, bool refused)
{
    const struct sg_notify_config *cfg = j->s->cfg;
    size_t i = j->attempts < cfg->nbackoff ? j->attempts : cfg->nbackoff - 1;
    char date[11];
    today_cn(date);
    if (sg_store_notify_retry(j->s->app.store, j->entry.id, j->entry.ref, date, now_ms() + cfg->backoff_ms[i], true,
                              refused ? 1 : cfg->max_attempts, j->d.error, now_ms(), on_retried, j) != 0)
        job_done(j); /* Redis is away: the entry stays pending and is taken over later */
}

static void on_delivered(void *arg)
{
    struct job *j = arg;
    sodium_memzero(j->d.phone, sizeof(j->d.phone));
    if (j->d.result == 0) {
        delivery_log(j->s, j->entry.ref, j->d.masked, j->kind, j->attempts + 1, "sent", "");
        if (sg_store_notify_sent(j->s->app.store, j->entry.id, j->entry.ref, now_ms(), on_marked, j) != 0)
            job_done(j); /* pending: delivered again later, the receiver drops the repeat */
    } else {
        retry(j, j->d.result == 2);
    }
}

static void run_delivery(void *arg)
{
    struct job *j = arg;
    sg_notify_deliver(&j->d);
}

/* The message's parameters (JSON object) as name/value pairs into j; false when unusable. */
static bool fill_values(struct job *j, const char *params)
{
    cJSON *o = cJSON_Parse(params), *item;
    struct sg_param p[SG_TEMPLATE_PARAMS];
    size_t n = 0;
    bool ok = cJSON_IsObject(o);
    cJSON_ArrayForEach(item, o) {
        if (n != SG_TEMPLATE_PARAMS && cJSON_IsString(item))
            p[n++] = (struct sg_param){item->string, item->valuestring};
    }
    if (ok) {
        const struct sg_notify_config *cfg = j->s->cfg;
        snprintf(j->d.params_json, sizeof(j->d.params_json), "%s", params);
        ok = sg_template_render(j->d.t, cfg->templates.signature, cfg->templates.optout, p, n, j->d.text,
                                sizeof(j->d.text)) > 0;
    }
    cJSON_Delete(o);
    return ok;
}

/* The provider's ordered values, pointing into a parse of params_json kept for the delivery. */
static void provider_values(struct job *j, cJSON *o)
{
    struct sg_param p[SG_TEMPLATE_PARAMS];
    size_t n = 0;
    cJSON *item;
    cJSON_ArrayForEach(item, o) {
        if (n != SG_TEMPLATE_PARAMS && cJSON_IsString(item))
            p[n++] = (struct sg_param){item->string, item->valuestring};
    }
    sg_template_values(j->d.t, p, n, j->d.values);
}

struct delivery_hold {
    struct job *j;
    cJSON *params;
};

static void on_hold_done(void *arg)
{
    struct delivery_hold *h = arg;
    struct job *j = h->j;
    cJSON_Delete(h->params);
    free(h);
    on_delivered(j);
}

static void on_hold_run(void *arg)
{
    run_delivery(((struct delivery_hold *)arg)->j);
}

static void start_delivery(struct job *j, const struct sg_notify_msg *m)
{
    struct sg__sender *s = j->s;
    j->d.cfg = s->cfg;
    snprintf(j->d.id, sizeof(j->d.id), "sg%s-%s", s->province, m->mid);
    snprintf(j->d.masked, sizeof(j->d.masked), "%s", m->masked);
    j->d.t = sg_templates_find(&s->cfg->templates, m->kind);
    if (j->d.t == NULL || sg_store_phone_open(s->app.store, m->phone, j->d.phone) != 0 || !fill_values(j, m->params)) {
        snprintf(j->d.error, sizeof(j->d.error), "%s", j->d.t == NULL ? "no such template" : "unreadable message");
        retry(j, true);
        return;
    }
    struct delivery_hold *h = malloc(sizeof(*h));
    if (h == NULL)
        abort();
    h->j = j;
    h->params = cJSON_Parse(j->d.params_json);
    provider_values(j, h->params);
    if (sg_worker_run(deliverers(), on_hold_run, on_hold_done, h) != 0)
        abort(); /* unbounded */
}

/* The next midnight in China after which the allowance is new, past the quiet hours. */
static uint64_t tomorrow_ms(const struct sg_notify_config *cfg)
{
    uint64_t day = 24ULL * 3600 * 1000, t = now_ms(), next = t - (t + 8ULL * 3600 * 1000) % day + day;
    return sg_quiet_end(&cfg->quiet, next);
}

static void on_taken(void *data, int status, const struct sg_notify_msg *m)
{
    struct job *j = data;
    if (status != 0 || strcmp(m->verdict, "done") == 0) {
        job_done(j);
        return;
    }
    snprintf(j->kind, sizeof(j->kind), "%s", m->kind);
    j->attempts = m->attempts;
    if (strcmp(m->verdict, "optout") == 0) {
        delivery_log(j->s, j->entry.ref, m->masked, "", 0, "optout", "");
        job_done(j);
    } else if (strcmp(m->verdict, "limit") == 0) {
        char date[11];
        today_cn(date);
        snprintf(j->d.error, sizeof(j->d.error), "daily limit");
        if (sg_store_notify_retry(j->s->app.store, j->entry.id, j->entry.ref, date, tomorrow_ms(j->s->cfg), false,
                                  j->s->cfg->max_attempts, "daily limit", now_ms(), on_marked, j) != 0)
            job_done(j);
    } else {
        start_delivery(j, m);
    }
}

static void on_outbox(void *data, int status, const struct sg_notify_entry *e, size_t n)
{
    struct sg__sender *s = data;
    char date[11];
    today_cn(date);
    s->full = status == 0 && n == OUTBOX_BATCH;
    if (status != 0 || n == 0) {
        end_turn(s);
        return;
    }
    s->inflight = n;
    for (size_t i = 0; i != n; ++i) {
        struct job *j = calloc(1, sizeof(*j));
        if (j == NULL)
            abort();
        j->s = s, j->entry = e[i];
        if (sg_store_notify_take(s->app.store, e[i].id, e[i].ref, date, s->cfg->max_per_day, on_taken, j) != 0)
            job_done(j);
    }
}

static void read_outbox(struct sg__sender *s)
{
    if (sg_quiet_now(&s->cfg->quiet, now_ms()) ||
        sg_store_notify_read(s->app.store, SG_NOTIFY_OUTBOX, s->consumer, OUTBOX_BATCH, s->cfg->claim_idle_ms,
                             on_outbox, s) != 0)
        end_turn(s);
}

/* ---- events: a vehicle's passengers, a push, reminders ------------------------------------ */

static void next_event(struct sg__sender *s);

static void on_event_done(void *data, int status)
{
    struct sg__sender *s = data;
    ++s->next_event;
    next_event(s);
}

struct sync {
    struct sg__sender *s;
    struct sg_notify_entry e;
};

static void tell_one(const struct sg_vehicle *v, const struct sg_notify_passenger *p, bool remind,
                     struct sg_notify_tell *t)
{
    char prefix[24], buf[512];
    snprintf(prefix, sizeof(prefix), "%s:", v->id);
    struct sg_told told = {p->code,
                           p->village,
                           p->told,
                           p->on,
                           strcmp(p->status, "cancelled") == 0 ||
                               (p->assigned[0] != '\0' && strncmp(p->assigned, prefix, strlen(prefix)) != 0),
                           p->reminded};
    enum sg_told_kind k = sg_told_next(v, &told, remind, t->now);
    struct sg_param params[5];
    t->p = p;
    t->kind = sg_tell_name(k);
    t->reminder = k == SG_TELL_REMINDER;
    sg_told_params(v, p->village, buf, params);
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i != 5; ++i)
        cJSON_AddStringToObject(o, params[i].name, params[i].value);
    char *text = cJSON_PrintUnformatted(o);
    snprintf(t->params, sizeof(t->params), "%s", text != NULL ? text : "{}");
    cJSON_free(text);
    cJSON_Delete(o);
}

static void on_vehicle(void *data, int status, const struct sg_vehicle *v, const struct sg_notify_passenger *p,
                       size_t n)
{
    struct sync *y = data;
    struct sg__sender *s = y->s;
    int ret = -1;
    if (status == SG_ENOENT) {
        ret = sg_store_notify_ack(s->app.store, SG_NOTIFY_EVENTS, y->e.id, on_event_done, s);
    } else if (status == 0) {
        struct sg_notify_tell *t = calloc(n + 1, sizeof(*t));
        size_t k = 0;
        if (t == NULL)
            abort();
        for (size_t i = 0; i != n; ++i) {
            tell_one(v, &p[i], strcmp(y->e.kind, "remind") == 0, &t[k]);
            k += t[k].kind[0] != '\0' || strcmp(t[k].now, p[i].told) != 0 || t[k].reminder;
        }
        ret = sg_store_notify_told(s->app.store, v->id, y->e.id, t, k, now_ms(), on_event_done, s);
        sodium_memzero(t, (n + 1) * sizeof(*t));
        free(t);
    }
    free(y);
    if (ret != 0)
        on_event_done(s, ret); /* left pending: taken over after claim_idle_ms */
}

static void sync_vehicle(struct sg__sender *s, const struct sg_notify_entry *e)
{
    struct sync *y = malloc(sizeof(*y));
    if (y == NULL)
        abort();
    *y = (struct sync){s, *e};
    if (sg_store_notify_vehicle_read(s->app.store, e->ref, on_vehicle, y) != 0) {
        free(y);
        on_event_done(s, SG_EUNAVAIL);
    }
}

static void next_event(struct sg__sender *s)
{
    while (s->next_event < s->nevents) {
        const struct sg_notify_entry *e = &s->events[s->next_event];
        if (strcmp(e->kind, "vehicle") == 0 || strcmp(e->kind, "remind") == 0) {
            sync_vehicle(s, e);
            return;
        }
        if (strcmp(e->kind, "push") == 0) {
            sg__notify_push_expand(s, e, on_event_done);
            return;
        }
        if (sg_store_notify_ack(s->app.store, SG_NOTIFY_EVENTS, e->id, on_event_done, s) == 0)
            return; /* an event of no known kind: dropped */
        ++s->next_event;
    }
    free(s->events);
    s->events = NULL;
    read_outbox(s);
}

static void on_events(void *data, int status, const struct sg_notify_entry *e, size_t n)
{
    struct sg__sender *s = data;
    s->nevents = status == 0 ? n : 0, s->next_event = 0;
    if (s->nevents != 0 && (s->events = malloc(n * sizeof(*e))) == NULL)
        abort();
    if (s->nevents != 0)
        memcpy(s->events, e, n * sizeof(*e));
    next_event(s);
}

static void on_due(void *data, int status)
{
    struct sg__sender *s = data;
    if (status < 0 || sg_store_notify_read(s->app.store, SG_NOTIFY_EVENTS, s->consumer, EVENTS_BATCH,
                                           s->cfg->claim_idle_ms, on_events, s) != 0)
        end_turn(s);
}

/* ---- reminders the day before departure ------------------------------------------------------- */

struct remind {
    struct sg__sender *s;
    char date[11];
    size_t left;
};

static void on_remind_queued(void *data, int status)
{
    struct remind *r = data;
    if (--r->left == 0)
        free(r);
}

static void on_vehicles(void *data, int status, const struct sg_vehicle *v, size_t n)
{
    struct remind *r = data;
    struct sg_date tomorrow = sg_date_from_days(sg_date_days(sg_app_today(&r->s->app)) + 1);
    r->left = 1;
    for (size_t i = 0; status == 0 && i != n; ++i)
        if (sg_date_cmp(v[i].depart_date, tomorrow) == 0 &&
            (v[i].status == SG_VEHICLE_PLANNED || v[i].status == SG_VEHICLE_BOARDING) &&
            sg_store_notify_remind(r->s->app.store, v[i].id, on_remind_queued, r) == 0)
            ++r->left;
    on_remind_queued(r, 0);
}

static void on_once(void *data, int status)
{
    struct remind *r = data;
    const struct sg_campaign *c = sg_app_active_campaign(&r->s->app);
    if (status == 1 && c != NULL && sg_store_vehicle_list(r->s->app.store, c->id, r->s->province, on_vehicles, r) == 0)
        return;
    if (status < 0) /* Redis away: try again next turn */
        r->s->reminded[0] = '\0';
    free(r);
}

static void remind_once_a_day(struct sg__sender *s)
{
    char date[11];
    sg_date_format(sg_app_today(&s->app), date);
    if (strcmp(date, s->reminded) == 0 || sg_quiet_now(&s->cfg->quiet, now_ms()))
        return;
    struct remind *r = calloc(1, sizeof(*r));
    if (r == NULL)
        abort();
    r->s = s;
    memcpy(r->date, date, sizeof(date));
    memcpy(s->reminded, date, sizeof(date));
    if (sg_store_notify_once(s->app.store, date, on_once, r) != 0) {
        s->reminded[0] = '\0';
        free(r);
    }
}

static void turn(struct sg__sender *s)
{
    if (*s->stop || s->running)
        return;
    s->running = true;
    s->full = false;
    if (!sg_store_ready(s->app.store) || sg_store_notify_due(s->app.store, now_ms(), on_due, s) != 0) {
        end_turn(s);
        return;
    }
    remind_once_a_day(s);
}

/* ---- the loop ---------------------------------------------------------------------------------- */

static void on_setup(void *data, int status)
{
    struct sg__sender *s = data;
    s->setup_pending = false;
    s->setup_ok = status == 0;
    if (status == 0)
        end_turn(s); /* the first turn, after poll_ms */
}

static int sender_init(struct sg__sender *s, const struct sg_app *app, const struct sg_store_config *store,
                       const struct sg_notify_config *cfg, volatile int *stop)
{
    const char *err = NULL;
    memset(s, 0, sizeof(*s));
    s->app = *app;
    s->cfg = cfg;
    s->stop = stop;
    snprintf(s->province, sizeof(s->province), "%s", store->province != NULL ? store->province : "45");
    s->loop = h2o_evloop_create();
    if ((s->app.store = sg_store_new(s->loop, store, &err)) == NULL) {
        fprintf(stderr, "songgong: notify: %s\n", err);
        return -1;
    }
    char host[64] = "";
    gethostname(host, sizeof(host) - 1);
    snprintf(s->consumer, sizeof(s->consumer), "%.40s-%ld", host, (long)getpid());
    h2o_timeout_init(s->loop, &s->poll_timeout, cfg->poll_ms);
    h2o_timeout_init(s->loop, &s->soon_timeout, 1);
    s->tick.cb = on_tick;
    s->queue = h2o_multithread_create_queue(s->loop);
    sg_worker_attach(deliverers(), s->queue);
    return 0;
}

/* Run until *stop, then until nothing is in flight (a delivery ends within its timeout). */
static void sender_loop(struct sg__sender *s)
{
    while (!*s->stop) {
        if (!s->setup_ok && !s->setup_pending && sg_store_ready(s->app.store))
            s->setup_pending = sg_store_notify_setup(s->app.store, on_setup, s) == 0;
        h2o_evloop_run(s->loop, 100);
    }
    if (h2o_timeout_is_linked(&s->tick))
        h2o_timeout_unlink(&s->tick);
    uint64_t deadline = h2o_now(s->loop) + 1000ULL * (s->cfg->timeout_s + 2);
    while ((s->running || s->inflight != 0) && h2o_now(s->loop) < deadline)
        h2o_evloop_run(s->loop, 100);
    if (!s->running && s->inflight == 0)
        sg_store_free(s->app.store); /* else the process ends with it */
}

int sg_notify_run(const struct sg_app *app, const struct sg_store_config *store, const struct sg_notify_config *cfg,
                  volatile int *stop)
{
    static struct sg__sender s; /* reachable until exit: h2o 2.2.5 cannot destroy a loop */
    sg_notify_deliver_init();
    if (sender_init(&s, app, store, cfg, stop) != 0)
        return -1;
    sender_loop(&s);
    return 0;
}

static struct {
    pthread_t tid;
    volatile int stop;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done, started;
    const struct sg_app *app;
    const struct sg_store_config *store;
    const struct sg_notify_config *cfg;
} thread = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

/* Like the server's loops, the thread never exits (h2o keeps per-thread memory): it says
 * it is done and waits for the process to end. */
static void *thread_main(void *arg)
{
    pthread_setname_np(pthread_self(), "sg-notify");
    if (sg_notify_run(thread.app, thread.store, thread.cfg, &thread.stop) != 0)
        fprintf(stderr, "songgong: notify: the sender did not start\n");
    pthread_mutex_lock(&thread.lock);
    thread.done = true;
    pthread_cond_signal(&thread.cond);
    pthread_mutex_unlock(&thread.lock);
    for (;;)
        pause();
    return NULL;
}

int sg_notify_start(const struct sg_app *app, const struct sg_store_config *store, const struct sg_notify_config *cfg)
{
    sigset_t block, old;
    thread.app = app, thread.store = store, thread.cfg = cfg;
    sigemptyset(&block); /* the server's first loop takes SIGINT and SIGTERM: never this thread */
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int ret = pthread_create(&thread.tid, NULL, thread_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (ret != 0) {
        fprintf(stderr, "songgong: notify: cannot start its thread\n");
        return -1;
    }
    thread.started = true;
    return 0;
}

void sg_notify_stop(void)
{
    if (!thread.started)
        return;
    thread.stop = 1;
    pthread_mutex_lock(&thread.lock);
    while (!thread.done)
        pthread_cond_wait(&thread.cond, &thread.lock);
    pthread_mutex_unlock(&thread.lock);
}
