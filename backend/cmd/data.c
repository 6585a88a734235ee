/* SPDX-License-Identifier: MIT */
/* Loading data/ at start: division tables (TSV, parsed by the domain) and the
 * campaigns (JSON). Any problem stops the start with a message naming the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "cmd/options.h"

char *sg_file_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long size;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto Exit;
    if ((buf = malloc((size_t)size + 1)) == NULL)
        abort();
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
        goto Exit;
    }
    buf[size] = '\0';
    *len = (size_t)size;
Exit:
    if (f != NULL)
        fclose(f);
    return buf;
}

static struct sg_divisions *load_table(const char *dir, const char *name, bool allow_orphans)
{
    char path[1024];
    size_t len = 0, bad = 0;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *buf = sg_file_read(path, &len);
    if (buf == NULL) {
        fprintf(stderr, "songgong: cannot read %s\n", path);
        return NULL;
    }
    struct sg_divisions *ds = sg_divisions_parse(buf, len, allow_orphans, &bad);
    if (ds == NULL)
        fprintf(stderr, "songgong: %s:%zu: not a \"code<TAB>name\" line of a known division\n", path, bad);
    return ds;
}

static int date_of(const cJSON *obj, const char *name, struct sg_date *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(item) ? sg_date_parse(item->valuestring, out) : -1;
}

static int int_of(const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNumber(item) && item->valuedouble == (double)item->valueint ? item->valueint : -1;
}

/* "report_schedule": [{"rule":"date","date"}, {"rule":"weekly","weekday","from","to","before"},
 * {"rule":"monthly","day","from","to","before"}]; "before" ("HH:MM") is optional. */
static int parse_schedule(const cJSON *list, struct sg_schedule *s)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        const cJSON *rule = cJSON_GetObjectItemCaseSensitive(item, "rule");
        const cJSON *before = cJSON_GetObjectItemCaseSensitive(item, "before");
        struct sg_schedule_rule r = {.before_min = SG_DAY_END};
        if (s->n == SG_SCHEDULE_RULES_MAX || !cJSON_IsString(rule))
            return -1;
        if (before != NULL && (!cJSON_IsString(before) || sg_schedule_time_parse(before->valuestring, &r.before_min)))
            return -1;
        if (strcmp(rule->valuestring, "date") == 0) {
            r.kind = SG_SCHEDULE_DATE;
            if (date_of(item, "date", &r.date) != 0)
                return -1;
        } else {
            r.kind = strcmp(rule->valuestring, "weekly") == 0 ? SG_SCHEDULE_WEEKLY : SG_SCHEDULE_MONTHLY;
            if ((r.kind == SG_SCHEDULE_MONTHLY && strcmp(rule->valuestring, "monthly") != 0) ||
                date_of(item, "from", &r.from) != 0 || date_of(item, "to", &r.to) != 0)
                return -1;
            r.weekday = int_of(item, "weekday");
            r.day = int_of(item, "day");
        }
        if (sg_schedule_rule_check(&r) != 0)
            return -1;
        s->rules[s->n++] = r;
    }
    return 0;
}

static int parse_campaign(const cJSON *item, struct sg_campaign *c)
{
    const cJSON *schedule = cJSON_GetObjectItemCaseSensitive(item, "report_schedule");
    if (schedule != NULL && (!cJSON_IsArray(schedule) || parse_schedule(schedule, &c->schedule) != 0))
        return -1;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
    const cJSON *starts = cJSON_GetObjectItemCaseSensitive(item, "starts");
    const cJSON *ends = cJSON_GetObjectItemCaseSensitive(item, "ends");
    const cJSON *active = cJSON_GetObjectItemCaseSensitive(item, "active");
    if (!cJSON_IsString(id) || !sg_campaign_id_valid(id->valuestring) || !cJSON_IsString(name) ||
        strlen(name->valuestring) >= sizeof(c->name) || !cJSON_IsString(starts) || !cJSON_IsString(ends) ||
        sg_date_parse(starts->valuestring, &c->starts) != 0 || sg_date_parse(ends->valuestring, &c->ends) != 0 ||
        sg_date_cmp(c->starts, c->ends) > 0 || !cJSON_IsBool(active))
        return -1;
    memcpy(c->id, id->valuestring, strlen(id->valuestring) + 1);
    memcpy(c->name, name->valuestring, strlen(name->valuestring) + 1);
    c->active = cJSON_IsTrue(active);
    return 0;
}

static int load_campaigns(struct sg_app *app, const char *dir)
{
    char path[1024];
    size_t len = 0, nactive = 0;
    snprintf(path, sizeof(path), "%s/campaigns.json", dir);
    char *text = sg_file_read(path, &len);
    cJSON *root = text != NULL ? cJSON_ParseWithLength(text, len) : NULL, *item;
    int ret = -1;
    free(text);
    if (!cJSON_IsArray(root) || cJSON_GetArraySize(root) > SG_CAMPAIGNS_MAX) {
        fprintf(stderr, "songgong: %s: expected a JSON array of at most %d campaigns\n", path, SG_CAMPAIGNS_MAX);
        goto Exit;
    }
    cJSON_ArrayForEach(item, root) {
        struct sg_campaign *c = &app->campaigns[app->ncampaigns];
        if (parse_campaign(item, c) != 0) {
            fprintf(stderr,
                    "songgong: %s: campaign %zu needs id ([a-z0-9-]), name, starts, ends (YYYY-MM-DD), active; "
                    "report_schedule rules are {rule: date|weekly|monthly, date | weekday/day, from, to, before}\n",
                    path, app->ncampaigns + 1);
            goto Exit;
        }
        nactive += c->active;
        ++app->ncampaigns;
    }
    if (nactive > 1) {
        fprintf(stderr, "songgong: %s: more than one campaign is active\n", path);
        goto Exit;
    }
    ret = 0;
Exit:
    cJSON_Delete(root);
    return ret;
}

int sg_data_load(struct sg_app *app, const struct sg_options *o)
{
    char name[64];
    snprintf(name, sizeof(name), "divisions-%s.tsv", o->province);
    if ((app->divisions = load_table(o->data_dir, name, false)) == NULL ||
        (app->destinations = load_table(o->data_dir, "destinations.tsv", false)) == NULL ||
        (app->regions = load_table(o->data_dir, "regions.tsv", true)) == NULL || load_campaigns(app, o->data_dir) != 0)
        return -1;
    if (o->today != NULL) {
        if (sg_date_parse(o->today, &app->today) != 0) {
            fprintf(stderr, "songgong: SONGGONG_TODAY / --today must be YYYY-MM-DD\n");
            return -1;
        }
        app->has_today = true;
    }
    app->public_url = o->public_url;
    app->session_idle_s = o->session_idle_s;
    memcpy(app->limits, o->limits, sizeof(app->limits));
    app->streams_per_session = o->streams_per_session;
    app->streams_max = o->streams_max;
    app->site_dir = o->site_dir;
    return 0;
}

void sg_data_free(struct sg_app *app)
{
    sg_divisions_free((struct sg_divisions *)app->divisions);
    sg_divisions_free((struct sg_divisions *)app->destinations);
    sg_divisions_free((struct sg_divisions *)app->regions);
}
