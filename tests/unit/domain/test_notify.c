/* SPDX-License-Identifier: MIT */
/* Tests of domain/notify.c: templates filled and framed (signature, opt-out line), the
 * length in SMS parts, quiet hours across midnight in China time, and what a passenger is
 * told when a vehicle is planned, changed, cancelled, or they are moved. */
#include "test.h"
#include "domain/err.h"
#include "domain/notify.h"
#include "domain/text.h"

/* 2027-01-10 00:00 in China = 2027-01-09 16:00 UTC */
#define MIDNIGHT_CN 1799510400000ULL
#define HOUR 3600000ULL

static void test_render(void)
{
    struct sg_template t = {.name = "assigned",
                            .text = "您已安排{vehicle}，{date}{time}在{stop}上车，带队人电话{escort}。",
                            .provider_id = "1234567",
                            .params = {"vehicle", "date", "time", "stop", "escort"},
                            .nparams = 5};
    struct sg_param p[] = {{"vehicle", "专车 桂A12345"},
                           {"date", "2月3日"},
                           {"time", "07:40"},
                           {"stop", "新竹社区村委"},
                           {"escort", "13912345678"}};
    char out[512];
    int n = sg_template_render(&t, "【送工服务】", "回复TD退订", p, 5, out, sizeof(out));
    ASSERT(n > 0);
    ASSERT_STREQ(out,
                 "【送工服务】您已安排专车 桂A12345，2月3日07:40在新竹社区村委上车，带队人电话13912345678。回复TD退订");
    ASSERT_EQ(sg_sms_parts(out), 1); /* fits one message */
    const char *values[SG_TEMPLATE_PARAMS];
    sg_template_values(&t, p, 4, values); /* escort missing: "" */
    ASSERT_STREQ(values[0], "专车 桂A12345");
    ASSERT_STREQ(values[3], "新竹社区村委");
    ASSERT_STREQ(values[4], "");
    ASSERT_EQ(sg_template_render(&t, "【送工服务】", "回复TD退订", p, 5, out, 40), SG_EINVAL);
    ASSERT(strlen(out) < 40);
}

static void test_parts(void)
{
    char text[600] = "";
    for (int i = 0; i != 70; ++i)
        strcat(text, "字");
    ASSERT_EQ(sg_sms_parts(text), 1);
    strcat(text, "字");
    ASSERT_EQ(sg_sms_parts(text), 2); /* 71: two parts of 67 */
    for (int i = 0; i != 63; ++i)
        strcat(text, "a");
    ASSERT_EQ(sg_sms_parts(text), 2); /* 134 */
    strcat(text, "a");
    ASSERT_EQ(sg_sms_parts(text), 3);
}

static void test_quiet(void)
{
    struct sg_quiet q;
    ASSERT_EQ(sg_quiet_parse("21:00-08:00", &q), 0);
    ASSERT(sg_quiet_now(&q, MIDNIGHT_CN + 22 * HOUR));
    ASSERT(sg_quiet_now(&q, MIDNIGHT_CN + 3 * HOUR));
    ASSERT(!sg_quiet_now(&q, MIDNIGHT_CN + 8 * HOUR));
    ASSERT(!sg_quiet_now(&q, MIDNIGHT_CN + 20 * HOUR + 59 * 60000));
    ASSERT_EQ(sg_quiet_end(&q, MIDNIGHT_CN + 3 * HOUR), MIDNIGHT_CN + 8 * HOUR);
    ASSERT_EQ(sg_quiet_end(&q, MIDNIGHT_CN + 22 * HOUR), MIDNIGHT_CN + 32 * HOUR); /* next morning */
    ASSERT_EQ(sg_quiet_end(&q, MIDNIGHT_CN + 12 * HOUR), MIDNIGHT_CN + 12 * HOUR);
    ASSERT_EQ(sg_quiet_parse("12:00-14:00", &q), 0);
    ASSERT(sg_quiet_now(&q, MIDNIGHT_CN + 13 * HOUR));
    ASSERT(!sg_quiet_now(&q, MIDNIGHT_CN + 14 * HOUR));
    ASSERT_EQ(sg_quiet_parse("none", &q), 0);
    ASSERT(!sg_quiet_now(&q, MIDNIGHT_CN + 23 * HOUR));
    ASSERT_EQ(sg_quiet_parse("21:00", &q), SG_EINVAL);
    ASSERT_EQ(sg_quiet_parse("25:00-08:00", &q), SG_EINVAL);
    ASSERT_EQ(sg_quiet_parse("08:00-08:00", &q), SG_EINVAL);
    char d[11];
    sg_china_date(MIDNIGHT_CN - 1, d);
    ASSERT_STREQ(d, "2027-01-09");
    sg_china_date(MIDNIGHT_CN, d);
    ASSERT_STREQ(d, "2027-01-10");
}

static struct sg_vehicle bus(void)
{
    struct sg_vehicle v = {.id = "7",
                           .type = SG_VEHICLE_BUS,
                           .status = SG_VEHICLE_PLANNED,
                           .number = "桂A12345",
                           .depart_date = {2027, 2, 3},
                           .depart_time = "08:30",
                           .escort_phone = "13912345678",
                           .nstops = 2};
    v.stops[0] = (struct sg_stop){.name = "民生街道政府门口", .time = "07:00", .serves = "450102001"};
    v.stops[1] = (struct sg_stop){.name = "新竹社区村委", .time = "07:40", .serves = "450102002"};
    return v;
}

static void test_told(void)
{
    struct sg_vehicle v = bus();
    char fp[SG_TOLD_MAX], fp2[SG_TOLD_MAX];
    struct sg_told p = {.code = "AAAAAAAA", .village = "450102002003", .told = "", .on_vehicle = true};
    ASSERT_EQ(sg_told_next(&v, &p, false, fp), SG_TELL_ASSIGNED);
    ASSERT(strstr(fp, "新竹社区村委|07:40") != NULL); /* the stop serving the village */
    p.told = fp;
    ASSERT_EQ(sg_told_next(&v, &p, false, fp2), SG_TELL_NONE); /* told already */
    v.stops[1].time[3] = '5';                                  /* 07:50 */
    ASSERT_EQ(sg_told_next(&v, &p, false, fp2), SG_TELL_CHANGED);
    ASSERT(strstr(fp2, "07:50") != NULL);
    ASSERT_EQ(sg_told_next(&v, &p, true, fp2), SG_TELL_REMINDER);
    p.reminded = true;
    ASSERT_EQ(sg_told_next(&v, &p, true, fp2), SG_TELL_NONE);
    v.status = SG_VEHICLE_CANCELLED;
    ASSERT_EQ(sg_told_next(&v, &p, false, fp2), SG_TELL_CANCELLED);
    ASSERT_STREQ(fp2, "");
    v.status = SG_VEHICLE_PLANNED;
    p.on_vehicle = false; /* taken off by hand */
    ASSERT_EQ(sg_told_next(&v, &p, false, fp2), SG_TELL_UNASSIGNED);
    p.elsewhere = true; /* moved to another vehicle: that one tells them */
    ASSERT_EQ(sg_told_next(&v, &p, false, fp2), SG_TELL_NONE);
    ASSERT_STREQ(fp2, "");
    struct sg_told fresh = {.code = "BBBBBBBB", .village = "450102001001", .told = "", .on_vehicle = true};
    v.escort_phone[0] = '\0'; /* not ready: wait for the plan */
    ASSERT_EQ(sg_told_next(&v, &fresh, false, fp2), SG_TELL_NONE);
    ASSERT_EQ(
        sg_told_next(&v, &(struct sg_told){.code = "C", .village = "", .told = "", .on_vehicle = false}, false, fp2),
        SG_TELL_NONE);
    v = bus();
    v.status = SG_VEHICLE_DEPARTED;
    ASSERT_EQ(sg_told_next(&v, &fresh, false, fp2), SG_TELL_NONE);
}

static void test_params(void)
{
    struct sg_vehicle v = bus();
    char buf[512];
    struct sg_param p[5];
    sg_told_params(&v, "450102001009", buf, p);
    ASSERT_STREQ(p[0].value, "专车 桂A12345");
    ASSERT_STREQ(p[1].value, "2月3日");
    ASSERT_STREQ(p[2].value, "07:00");
    ASSERT_STREQ(p[3].value, "民生街道政府门口");
    ASSERT_STREQ(p[4].value, "13912345678");
    ASSERT_STREQ(sg_tell_name(SG_TELL_REMINDER), "reminder");
}

int main(void)
{
    RUN(test_render);
    RUN(test_parts);
    RUN(test_quiet);
    RUN(test_told);
    RUN(test_params);
    TEST_DONE();
}
