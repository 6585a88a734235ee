/* SPDX-License-Identifier: MIT */
/* service/trip_events.c: every listener hears every change, in the order they were
 * added, with what was announced; no listener, no call; the list has an end. */
#include "domain/err.h"
#include "service/trip_events.h"
#include "test.h"

struct heard {
    int calls;
    enum sg_trip_kind kind;
    const char *vehicle;
    size_t n;
    int order;
};

static int clock_;

static void on_change(void *data, struct sg_app *app, const struct sg_trip_change *c)
{
    struct heard *h = data;
    (void)app;
    ++h->calls;
    h->kind = c->kind;
    h->vehicle = c->vehicle;
    h->n = c->n;
    h->order = ++clock_;
}

static void test_listeners(void)
{
    static struct heard a, b;
    const char *codes[] = {"7KQ2M9XA", "AB23CD45"};
    struct sg_trip_change c = {
        .kind = SG_TRIP_REMOVED, .campaign = "2027-spring", .vehicle = "12", .codes = codes, .n = 2};
    sg_trip_changed(NULL, &c); /* nobody listens yet: nothing happens */
    ASSERT_EQ(sg_trip_listen(on_change, &a), 0);
    ASSERT_EQ(sg_trip_listen(on_change, &b), 0);
    sg_trip_changed(NULL, &c);
    ASSERT_EQ(a.calls, 1);
    ASSERT_EQ(b.calls, 1);
    ASSERT_EQ(a.kind, SG_TRIP_REMOVED);
    ASSERT_STREQ(a.vehicle, "12");
    ASSERT_EQ(b.n, 2);
    ASSERT(a.order < b.order);
    c.kind = SG_TRIP_VEHICLE_CHANGED;
    sg_trip_changed(NULL, &c);
    ASSERT_EQ(b.calls, 2);
    ASSERT_EQ(b.kind, SG_TRIP_VEHICLE_CHANGED);
    int full = 0;
    for (int i = 0; i != 10; ++i)
        full += sg_trip_listen(on_change, &b) == SG_ENOMEM;
    ASSERT_EQ(full, 4); /* 8 in all */
}

int main(void)
{
    RUN(test_listeners);
    TEST_DONE();
}
