/* SPDX-License-Identifier: MIT */
/* Tests of domain/vehicle.c: a good plan, each field rule, readiness for boarding, the
 * status machine, train seats, which registrations a vehicle accepts, and the sizes of
 * the vehicles matching proposes. */
#include "test.h"
#include "domain/err.h"
#include "domain/vehicle.h"

static struct sg_vehicle_ctx ctx;

static void setup(void)
{
    static const char text[] = "44\t广东省\n4419\t东莞市\n4403\t深圳市\n";
    size_t bad = 0;
    char *buf = malloc(sizeof(text) - 1);
    memcpy(buf, text, sizeof(text) - 1);
    ctx.destinations = sg_divisions_parse(buf, sizeof(text) - 1, false, &bad);
    ASSERT(ctx.destinations != NULL);
    ctx.starts = (struct sg_date){2023, 1, 1};
    ctx.ends = (struct sg_date){2023, 3, 31};
}

static struct sg_vehicle_input good(void)
{
    struct sg_vehicle_input in = {.type = "bus",
                                  .number = " 桂A12345 ",
                                  .capacity = 50,
                                  .carriage_size = -1,
                                  .dest_city = "4419",
                                  .employer = "东莞市宏达电子有限公司",
                                  .depart_date = "2023-02-03",
                                  .depart_time = "08:30",
                                  .escort_name = "黄志强",
                                  .escort_phone = "139 1234 5678",
                                  .emergency = "县人社局 0771-1234567",
                                  .nstops = 2,
                                  .ndrivers = 2};
    in.stops[0].name = "民生街道政府门口", in.stops[0].time = "07:00";
    in.stops[1].name = "新竹社区村委", in.stops[1].time = "07:40";
    in.drivers[0] = "李建国", in.drivers[1] = "王大伟";
    return in;
}

static int has(const struct sg_field_errors *e, const char *field, const char *code)
{
    for (size_t i = 0; i != e->n; ++i)
        if (strcmp(e->e[i].field, field) == 0 && strcmp(e->e[i].code, code) == 0)
            return 1;
    return 0;
}

static void test_good_plan(void)
{
    struct sg_vehicle_input in = good();
    struct sg_vehicle v = {0};
    struct sg_field_errors e;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0);
    ASSERT_EQ(v.type, SG_VEHICLE_BUS);
    ASSERT_STREQ(v.number, "桂A12345");
    ASSERT_STREQ(v.escort_phone, "13912345678");
    ASSERT_EQ(v.nstops, 2);
    ASSERT_STREQ(v.stops[1].time, "07:40");
    ASSERT_EQ(v.ndrivers, 2);
    ASSERT(sg_vehicle_ready(&v, &e));
}

static void test_required_and_ranges(void)
{
    struct sg_vehicle_input in = {.capacity = -1, .carriage_size = -1};
    struct sg_vehicle v = {0};
    struct sg_field_errors e;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "type", "required"));
    ASSERT(has(&e, "dest_city", "required"));
    ASSERT(has(&e, "depart_date", "required"));
    in = good();
    in.type = "ship";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "type", "type_enum"));
    in = good();
    in.capacity = 66;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "capacity", "capacity_range"));
    in.type = "flight", in.capacity = 170;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0);
    in.type = "train", in.capacity = 1200;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "carriage_size", "required"));
    in.carriage_size = 118;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0);
    ASSERT_EQ(v.carriage_size, 118);
    in.carriage_size = 10;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "carriage_size", "carriage_range"));
}

static void test_capacity_not_below_used(void)
{
    struct sg_vehicle_input in = good();
    struct sg_vehicle v = {.used = 45};
    struct sg_field_errors e;
    in.capacity = 40;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "capacity", "below_used"));
}

static void test_trip_fields(void)
{
    struct sg_vehicle_input in = good();
    struct sg_vehicle v = {0};
    struct sg_field_errors e;
    in.dest_city = "9999", in.depart_date = "2023-04-01", in.depart_time = "25:00", in.escort_phone = "12345";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "dest_city", "unknown_city"));
    ASSERT(has(&e, "depart_date", "date_window"));
    ASSERT(has(&e, "depart_time", "time_format"));
    ASSERT(has(&e, "escort_phone", "phone_format"));
    in = good();
    in.depart_date = "2023/02/03";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "depart_date", "date_format"));
}

/* 车长, 副车长, 车队, 车队长, 到达交接: optional, trimmed, at most 40 characters, no control characters. */
static void test_crew_fields(void)
{
    struct sg_vehicle_input in = good();
    struct sg_vehicle v = {0};
    struct sg_field_errors e;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0);
    ASSERT_STREQ(v.captain, "");
    ASSERT_STREQ(v.handover, "");
    in.captain = "  韦小宝 12座 13800001111 ", in.vice_captain = "黄秀英", in.convoy = "宾阳—东莞第1车队";
    in.convoy_leader = "李国强 13900002222", in.handover = "宏达电子人事部 王芳 0769-12345678";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0);
    ASSERT_STREQ(v.captain, "韦小宝 12座 13800001111");
    ASSERT_STREQ(v.vice_captain, "黄秀英");
    ASSERT_STREQ(v.convoy, "宾阳—东莞第1车队");
    ASSERT_STREQ(v.convoy_leader, "李国强 13900002222");
    ASSERT_STREQ(v.handover, "宏达电子人事部 王芳 0769-12345678");
    in.captain = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"; /* 40 */
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0);
    in.captain = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一";
    in.handover = "王芳\x01";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "captain", "too_long"));
    ASSERT(has(&e, "handover", "chars"));
}

static void test_stops(void)
{
    struct sg_vehicle_input in = good();
    struct sg_vehicle v = {0};
    struct sg_field_errors e;
    in.stops[1].time = "06:50";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "stops[1].time", "stop_order"));
    in = good();
    in.depart_time = "07:10"; /* before the last pickup */
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "depart_time", "stop_order"));
    in = good();
    in.stops[0].name = "  ";
    in.stops[1].time = NULL; /* a stop's time may be said later; boarding needs it */
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "stops[0].name", "required"));
    ASSERT_EQ(e.n, 1);
    in.stops[0].name = "民生街道政府门口";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0);
    ASSERT(!sg_vehicle_ready(&v, &e));
    ASSERT(has(&e, "stops[1].time", "required"));
    in = good();
    in.nstops = SG_STOPS_MAX + 1;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), SG_EINVAL);
    ASSERT(has(&e, "stops", "too_many"));
}

static void test_ready(void)
{
    struct sg_vehicle_input in = {
        .type = "bus", .capacity = 50, .carriage_size = -1, .dest_city = "4419", .depart_date = "2023-02-03"};
    struct sg_vehicle v = {0};
    struct sg_field_errors e;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0); /* a placeholder plan is valid */
    ASSERT(!sg_vehicle_ready(&v, &e));
    ASSERT(has(&e, "number", "required"));
    ASSERT(has(&e, "escort_phone", "required"));
    ASSERT(has(&e, "drivers", "required"));
    ASSERT(has(&e, "stops", "required"));
}

static void test_transitions(void)
{
    ASSERT(sg_vehicle_transition_valid(SG_VEHICLE_PLANNED, SG_VEHICLE_BOARDING));
    ASSERT(sg_vehicle_transition_valid(SG_VEHICLE_BOARDING, SG_VEHICLE_DEPARTED));
    ASSERT(sg_vehicle_transition_valid(SG_VEHICLE_DEPARTED, SG_VEHICLE_ARRIVED));
    ASSERT(sg_vehicle_transition_valid(SG_VEHICLE_PLANNED, SG_VEHICLE_CANCELLED));
    ASSERT(sg_vehicle_transition_valid(SG_VEHICLE_BOARDING, SG_VEHICLE_PLANNED));
    ASSERT(!sg_vehicle_transition_valid(SG_VEHICLE_PLANNED, SG_VEHICLE_DEPARTED));
    ASSERT(!sg_vehicle_transition_valid(SG_VEHICLE_DEPARTED, SG_VEHICLE_CANCELLED));
    ASSERT(!sg_vehicle_transition_valid(SG_VEHICLE_ARRIVED, SG_VEHICLE_PLANNED));
    ASSERT(!sg_vehicle_transition_valid(SG_VEHICLE_CANCELLED, SG_VEHICLE_PLANNED));
    ASSERT_EQ(sg_vehicle_status_parse("departed"), SG_VEHICLE_DEPARTED);
    ASSERT_EQ(sg_vehicle_status_parse("gone"), -1);
    ASSERT_STREQ(sg_vehicle_status_name(SG_VEHICLE_ARRIVED), "arrived");
}

static void test_train_seat(void)
{
    uint32_t c, s;
    sg_vehicle_train_seat(118, 1, &c, &s);
    ASSERT_EQ(c, 1);
    ASSERT_EQ(s, 1);
    sg_vehicle_train_seat(118, 118, &c, &s);
    ASSERT_EQ(c, 1);
    ASSERT_EQ(s, 118);
    sg_vehicle_train_seat(118, 119, &c, &s);
    ASSERT_EQ(c, 2);
    ASSERT_EQ(s, 1);
    sg_vehicle_train_seat(0, 7, &c, &s);
    ASSERT_EQ(c, 0);
    ASSERT_EQ(s, 7);
}

static void test_accepts(void)
{
    struct sg_vehicle v = {.type = SG_VEHICLE_BUS, .dest_city = "4419", .depart_date = {2023, 2, 3}};
    ASSERT(sg_vehicle_accepts(&v, "4419", (struct sg_date){2023, 2, 3}, 0, SG_MODE_ANY));
    ASSERT(sg_vehicle_accepts(&v, "4419", (struct sg_date){2023, 2, 5}, 2, SG_MODE_BUS));
    ASSERT(!sg_vehicle_accepts(&v, "4419", (struct sg_date){2023, 2, 5}, 1, SG_MODE_BUS));
    ASSERT(!sg_vehicle_accepts(&v, "4403", (struct sg_date){2023, 2, 3}, 0, SG_MODE_ANY));
    ASSERT(!sg_vehicle_accepts(&v, "4419", (struct sg_date){2023, 2, 3}, 0, SG_MODE_TRAIN));
}

static void test_stop_for_village(void)
{
    struct sg_vehicle v;
    struct sg_field_errors errs;
    struct sg_vehicle_input in = good();
    in.nstops = 3;
    in.stops[2].name = "城南站", in.stops[2].time = "08:00";
    in.stops[0].serves = "450102001";    /* a township */
    in.stops[1].serves = "450102001201"; /* one of its villages, which boards closer */
    in.stops[2].serves = "";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &errs), 0);
    ASSERT_EQ(sg_vehicle_stop_for(&v, "450102001201"), 1); /* the longest match */
    ASSERT_EQ(sg_vehicle_stop_for(&v, "450102001202"), 0); /* the township's stop */
    ASSERT_EQ(sg_vehicle_stop_for(&v, "450103001001"), 0); /* named nowhere: the first stop */
    in.stops[2].serves = "4501x";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &errs), SG_EINVAL);
    ASSERT(has(&errs, "stops[2].serves", "unknown_division"));
    in.nstops = 0;
    in.stops[2].serves = NULL;
    sg_vehicle_validate(&in, &ctx, &v, &errs);
    ASSERT_EQ(sg_vehicle_stop_for(&v, "450102001201"), 0); /* no stop at all */
}

/* 已通知 waits for the vehicle's time and the village's stop with its time. */
static void test_tellable(void)
{
    struct sg_vehicle v;
    struct sg_field_errors errs;
    struct sg_vehicle_input in = good();
    in.nstops = 2;
    in.stops[0].serves = "450102001";
    in.stops[1].name = "六律村委会", in.stops[1].time = "", in.stops[1].serves = "450102001201";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &errs), 0);
    ASSERT(sg_vehicle_tellable(&v, "450102001202"));  /* the township's stop has its time */
    ASSERT(!sg_vehicle_tellable(&v, "450102001201")); /* the village's own stop has none yet */
    memcpy(v.stops[1].time, "07:40", 6);
    ASSERT(sg_vehicle_tellable(&v, "450102001201"));
    v.depart_time[0] = '\0'; /* no departure time: nobody yet */
    ASSERT(!sg_vehicle_tellable(&v, "450102001202"));
    memcpy(v.depart_time, "08:30", 6);
    v.nstops = 0;
    ASSERT(!sg_vehicle_tellable(&v, "450102001202")); /* no stop at all */
}

static void test_holes_parse(void)
{
    uint32_t h[4][2];
    ASSERT_EQ(sg_vehicle_holes_parse("3-5 10-14 20-20", h, 4), 3);
    ASSERT_EQ(h[0][0], 3);
    ASSERT_EQ(h[0][1], 5);
    ASSERT_EQ(h[2][0], 20);
    ASSERT_EQ(h[2][1], 20);
    ASSERT_EQ(sg_vehicle_holes_parse("", h, 4), 0);
    ASSERT_EQ(sg_vehicle_holes_parse(NULL, h, 4), 0);
    ASSERT_EQ(sg_vehicle_holes_parse("1-2 3-4 5-6", h, 2), 2); /* more than kept: left unused */
    ASSERT_EQ(sg_vehicle_holes_parse("5-3 7-8", h, 4), 1);     /* backwards: skipped */
    ASSERT_EQ(h[0][0], 7);
    ASSERT_EQ(sg_vehicle_holes_parse("0-2", h, 4), 0);  /* no seat 0 */
    ASSERT_EQ(sg_vehicle_holes_parse("1-2x", h, 4), 0); /* junk stops the list */
}

static void test_sizes(void)
{
    struct sg_vehicle_sizes_input in = {{-1, -1, -1}, -1};
    struct sg_vehicle_sizes out;
    struct sg_field_errors e;
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), 0); /* nothing given: the defaults */
    ASSERT_EQ(out.seats[SG_VEHICLE_BUS], 50);
    ASSERT_EQ(out.seats[SG_VEHICLE_TRAIN], 1000);
    ASSERT_EQ(out.seats[SG_VEHICLE_FLIGHT], 150);
    ASSERT_EQ(out.train_carriage, 100);
    in = (struct sg_vehicle_sizes_input){{5, 2400, 400}, 120}; /* the ends of the ranges */
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), 0);
    ASSERT_EQ(out.seats[SG_VEHICLE_BUS], 5);
    ASSERT_EQ(out.seats[SG_VEHICLE_TRAIN], 2400);
    ASSERT_EQ(out.seats[SG_VEHICLE_FLIGHT], 400);
    ASSERT_EQ(out.train_carriage, 120);
    in = (struct sg_vehicle_sizes_input){{45, -1, 30}, -1}; /* some given, the rest default */
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), 0);
    ASSERT_EQ(out.seats[SG_VEHICLE_BUS], 45);
    ASSERT_EQ(out.seats[SG_VEHICLE_TRAIN], 1000);
    ASSERT_EQ(out.seats[SG_VEHICLE_FLIGHT], 30);
    in = (struct sg_vehicle_sizes_input){{4, 99, 401}, 19};
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), SG_EINVAL);
    ASSERT(has(&e, "bus", "capacity_range"));
    ASSERT(has(&e, "train", "capacity_range"));
    ASSERT(has(&e, "flight", "capacity_range"));
    ASSERT(has(&e, "train_carriage", "carriage_range"));
    ASSERT_EQ(e.n, 4);
    in = (struct sg_vehicle_sizes_input){{66, 2401, 29}, 151};
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), SG_EINVAL);
    ASSERT_EQ(e.n, 4);
    in = (struct sg_vehicle_sizes_input){{-1, 1050, -1}, -1}; /* 10.5 carriages of 100 */
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), SG_EINVAL);
    ASSERT(has(&e, "train_carriage", "carriage_divides"));
    ASSERT_EQ(e.n, 1);
    in.train_carriage = 150; /* 7 carriages */
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), 0);
    in = (struct sg_vehicle_sizes_input){{-1, -1, -1}, 118}; /* 1000 is not whole carriages of 118 */
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), SG_EINVAL);
    ASSERT(has(&e, "train_carriage", "carriage_divides"));
    in.seats[SG_VEHICLE_TRAIN] = 2124; /* 18 carriages of 118 */
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), 0);
    in.seats[SG_VEHICLE_TRAIN] = 3000; /* out of range: only that is reported */
    ASSERT_EQ(sg_vehicle_sizes_validate(&in, &out, &e), SG_EINVAL);
    ASSERT_EQ(e.n, 1);
    ASSERT(has(&e, "train", "capacity_range"));
}

static void test_min_load(void)
{
    long none[SG_VEHICLE_TYPES] = {-1, -1, -1}, bad[SG_VEHICLE_TYPES] = {0, 1001, 151};
    long some[SG_VEHICLE_TYPES] = {40, 200, -1};
    uint32_t out[SG_VEHICLE_TYPES];
    struct sg_field_errors e;
    struct sg_vehicle_sizes small = {{45, 200, 60}, 100};
    ASSERT_EQ(sg_vehicle_min_load_validate(none, &sg_vehicle_sizes_default, out, &e), 0);
    ASSERT_EQ(out[SG_VEHICLE_BUS], 25); /* a bus half full */
    ASSERT_EQ(out[SG_VEHICLE_TRAIN], 300);
    ASSERT_EQ(out[SG_VEHICLE_FLIGHT], 100);
    ASSERT_EQ(sg_vehicle_min_load_validate(none, &small, out, &e), 0);
    ASSERT_EQ(out[SG_VEHICLE_BUS], 23);
    ASSERT_EQ(out[SG_VEHICLE_TRAIN], 200); /* never above the seats */
    ASSERT_EQ(out[SG_VEHICLE_FLIGHT], 60);
    ASSERT_EQ(sg_vehicle_min_load_validate(some, &sg_vehicle_sizes_default, out, &e), 0);
    ASSERT_EQ(out[SG_VEHICLE_BUS], 40);
    ASSERT_EQ(out[SG_VEHICLE_TRAIN], 200);
    ASSERT_EQ(out[SG_VEHICLE_FLIGHT], 100);
    ASSERT_EQ(sg_vehicle_min_load_validate(bad, &sg_vehicle_sizes_default, out, &e), SG_EINVAL);
    ASSERT_EQ(e.n, 3);
    ASSERT(has(&e, "bus", "min_load_range"));
    ASSERT(has(&e, "train", "min_load_range"));
    ASSERT(has(&e, "flight", "min_load_range"));
}

static void test_areas_and_refusal(void)
{
    struct sg_vehicle v = {0};
    struct sg_field_errors errs;
    struct sg_vehicle_input in = good();
    struct sg_match_area a[SG_STOPS_MAX];
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &errs), 0);
    v.status = SG_VEHICLE_PLANNED;
    snprintf(v.scope, sizeof(v.scope), "450102");
    ASSERT_EQ(sg_vehicle_areas(&v, a), 1); /* no stop names a place: the owner's county */
    ASSERT_EQ(a[0].lo, 450102000000ull);
    ASSERT(sg_vehicle_serves(&v, "450102001201"));
    ASSERT(!sg_vehicle_serves(&v, "450103001201"));
    ASSERT(!sg_vehicle_serves(&v, "450102001")); /* not a village */
    in.stops[0].serves = "450102001";
    in.stops[1].serves = "450102002203";
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &errs), 0);
    ASSERT_EQ(sg_vehicle_areas(&v, a), 2);
    ASSERT(sg_vehicle_serves(&v, "450102001999"));
    ASSERT(sg_vehicle_serves(&v, "450102002203"));
    ASSERT(!sg_vehicle_serves(&v, "450102002204")); /* the stops name a township and one village */
    struct sg_registration r = {.npeople = 3, .dest_city = "4419", .depart_date = {2023, 2, 4}, .flex_days = 1};
    snprintf(r.village, sizeof(r.village), "450102001201");
    v.capacity = 50, v.used = 40, v.seat_next = 48, v.nholes = 1;
    v.holes[0][0] = 5, v.holes[0][1] = 7; /* free: 5-7 and 48-50 */
    ASSERT_EQ(sg_vehicle_free_run(&v), 3);
    ASSERT(sg_vehicle_refusal(&v, &r) == NULL);
    r.npeople = 4;
    ASSERT_STREQ(sg_vehicle_refusal(&v, &r), "no_room");
    r.npeople = 3;
    snprintf(r.village, sizeof(r.village), "450102003201");
    ASSERT_STREQ(sg_vehicle_refusal(&v, &r), "no_stop");
    r.flex_days = 0;
    ASSERT_STREQ(sg_vehicle_refusal(&v, &r), "not_matching");
    v.status = SG_VEHICLE_DEPARTED;
    ASSERT_STREQ(sg_vehicle_refusal(&v, &r), "not_open");
}

static void test_ready_needs_stop_times(void)
{
    struct sg_vehicle v = {0};
    struct sg_field_errors e = {0};
    struct sg_vehicle_input in = good();
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &e), 0);
    v.stops[1].time[0] = '\0'; /* a stop the matcher proposed, place and time to be said */
    e.n = 0;
    ASSERT(!sg_vehicle_ready(&v, &e));
    ASSERT(has(&e, "stops[1].time", "required"));
    ASSERT_EQ(e.n, 1);
}

static void test_filter(void)
{
    struct sg_vehicle v = {0};
    struct sg_vehicle_filter f;
    struct sg_field_errors errs;
    struct sg_vehicle_input in = good();
    const char *bad;
    ASSERT_EQ(sg_vehicle_validate(&in, &ctx, &v, &errs), 0);
    snprintf(v.id, sizeof(v.id), "17");
    v.status = SG_VEHICLE_PLANNED;
    ASSERT_EQ(sg_vehicle_filter_init(&f, NULL, NULL, NULL, NULL, NULL, NULL, &bad), 0);
    ASSERT(sg_vehicle_filter_match(&f, &v)); /* nothing asked: all */
    ASSERT_EQ(sg_vehicle_filter_init(&f, "2023-02-03", "4419", "bus", "planned", "", " A123 ", &bad), 0);
    ASSERT(sg_vehicle_filter_match(&f, &v));
    ASSERT_EQ(sg_vehicle_filter_init(&f, "", "", "", "", "", "17", &bad), 0);
    ASSERT(sg_vehicle_filter_match(&f, &v)); /* the id */
    ASSERT_EQ(sg_vehicle_filter_init(&f, "2023-02-04", "", "", "", "", "", &bad), 0);
    ASSERT(!sg_vehicle_filter_match(&f, &v));
    ASSERT_EQ(sg_vehicle_filter_init(&f, "", "4403", "", "", "", "", &bad), 0);
    ASSERT(!sg_vehicle_filter_match(&f, &v));
    ASSERT_EQ(sg_vehicle_filter_init(&f, "", "", "train", "", "", "", &bad), 0);
    ASSERT(!sg_vehicle_filter_match(&f, &v));
    ASSERT_EQ(sg_vehicle_filter_init(&f, "", "", "", "boarding", "", "", &bad), 0);
    ASSERT(!sg_vehicle_filter_match(&f, &v));
    ASSERT_EQ(sg_vehicle_filter_init(&f, "", "", "", "", "1", "", &bad), 0);
    ASSERT(!sg_vehicle_filter_match(&f, &v)); /* the plan is complete */
    v.escort_phone[0] = '\0';
    ASSERT(sg_vehicle_filter_match(&f, &v));
    ASSERT_EQ(sg_vehicle_filter_init(&f, "", "", "ship", "", "", "", &bad), SG_EINVAL);
    ASSERT_STREQ(bad, "type");
    ASSERT_EQ(sg_vehicle_filter_init(&f, "2023-13-01", "", "", "", "", "", &bad), SG_EINVAL);
    ASSERT_STREQ(bad, "date");
    ASSERT_EQ(sg_vehicle_filter_init(&f, "", "44x9", "", "", "", "", &bad), SG_EINVAL);
    ASSERT_STREQ(bad, "dest_city");
    ASSERT_EQ(sg_vehicle_filter_init(&f, "", "", "", "gone", "", "", &bad), SG_EINVAL);
    ASSERT_STREQ(bad, "status");
}

int main(void)
{
    setup();
    RUN(test_filter);
    RUN(test_min_load);
    RUN(test_areas_and_refusal);
    RUN(test_ready_needs_stop_times);
    RUN(test_good_plan);
    RUN(test_required_and_ranges);
    RUN(test_capacity_not_below_used);
    RUN(test_trip_fields);
    RUN(test_crew_fields);
    RUN(test_stops);
    RUN(test_ready);
    RUN(test_transitions);
    RUN(test_train_seat);
    RUN(test_accepts);
    RUN(test_stop_for_village);
    RUN(test_tellable);
    RUN(test_holes_parse);
    RUN(test_sizes);
    sg_divisions_free((struct sg_divisions *)ctx.destinations);
    TEST_DONE();
}
