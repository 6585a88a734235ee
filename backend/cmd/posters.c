/* SPDX-License-Identifier: MIT */
/* `songgong posters`: sign-up posters (or label sheets) of every village under a scope,
 * in division-code order, into one PDF streamed page by page, or one village's poster as a
 * PNG. Reads data/ and an optional contacts file; needs no Redis. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd/commands.h"
#include "cmd/options.h"
#include "domain/err.h"
#include "qr/poster.h"

#define CONTACT_MAX 160

struct contact {
    const char *code, *line; /* point into the file's buffer */
};

struct contacts {
    char *buf;
    struct contact *v;
    size_t n;
};

struct args {
    const char *scope, *out, *contacts, *campaign;
    bool labels, png;
    double dpi;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: songgong posters --scope CODE -o FILE [--labels] [--format pdf|png] [options]\n"
            "\n"
            "Sign-up posters for every village under CODE (a province, city, county, township\n"
            "or village code), one A4 page each in division-code order, as one PDF: the active\n"
            "campaign's name, 扫码报名, the village's county, township and name, a 12 cm QR code\n"
            "of PUBLIC_URL/s/VILLAGE, the link written out, four steps, the village contact and\n"
            "the campaign's dates. Pages are written as they are drawn (all 16,681 Guangxi\n"
            "villages in one file take well under a minute and little memory).\n"
            "\n"
            "  --scope CODE      division whose villages get a poster (required)\n"
            "  -o FILE           output file, '-' for standard output (required)\n"
            "  --labels          label sheets instead: 3 x 8 labels per A4 page (QR code,\n"
            "                    township, village, short link), for notice boards\n"
            "  --format pdf|png  png: one village's poster as an image (CODE must be a village)\n"
            "  --dpi N           resolution of the PNG (default 150, 36-600)\n"
            "  --contacts FILE   staff contact lines, 'CODE<TAB>line' per line (UTF-8, '#' starts\n"
            "                    a comment); CODE is a village or any division above it, the\n"
            "                    longest matching code wins, e.g.\n"
            "                      450225101201<TAB>村委 韦主任 13800000000\n"
            "                      450225101<TAB>和睦镇政府 0772-0000000\n"
            "                    without a line a poster says 有问题请找村委会或驻村工作队\n"
            "  --campaign ID     a campaign other than the active one (data/campaigns.json)\n"
            "\nShared options (flag, environment variable, meaning); posters use --public-url,\n"
            "--data-dir and --province:\n%s",
            sg_options_help);
}

static int parse_flag(struct args *a, int argc, char **argv, int *i)
{
    const char *v;
    if (strcmp(argv[*i], "--labels") == 0) {
        a->labels = true;
    } else if ((v = sg_flag_value(argc, argv, i, "--scope")) != NULL) {
        a->scope = v;
    } else if ((v = sg_flag_value(argc, argv, i, "-o")) != NULL ||
               (v = sg_flag_value(argc, argv, i, "--output")) != NULL) {
        a->out = v;
    } else if ((v = sg_flag_value(argc, argv, i, "--contacts")) != NULL) {
        a->contacts = v;
    } else if ((v = sg_flag_value(argc, argv, i, "--campaign")) != NULL) {
        a->campaign = v;
    } else if ((v = sg_flag_value(argc, argv, i, "--format")) != NULL) {
        if (strcmp(v, "pdf") != 0 && strcmp(v, "png") != 0) {
            fprintf(stderr, "songgong posters: --format is pdf or png\n");
            return -1;
        }
        a->png = strcmp(v, "png") == 0;
    } else if ((v = sg_flag_value(argc, argv, i, "--dpi")) != NULL) {
        char *end;
        errno = 0;
        long dpi = strtol(v, &end, 10);
        if (errno != 0 || end == v || *end != '\0' || dpi < 36 || dpi > 600) {
            fprintf(stderr, "songgong posters: --dpi is a number from 36 to 600\n");
            return -1;
        }
        a->dpi = (double)dpi;
    } else {
        return 0;
    }
    return 1;
}

/* 0 to go on, 1 after --help, -1 after an error message. */
static int parse_args(int argc, char **argv, struct sg_options *o, struct args *a)
{
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 1;
        }
        int taken = parse_flag(a, argc, argv, &i);
        if (taken == 0)
            taken = sg_options_take(o, argc, argv, &i);
        if (taken < 0)
            return -1;
        if (taken == 0) {
            fprintf(stderr, "songgong posters: unknown option %s (see --help)\n", argv[i]);
            return -1;
        }
    }
    if (a->scope == NULL || a->out == NULL) {
        fprintf(stderr, "songgong posters: --scope CODE and -o FILE are required (see --help)\n");
        return -1;
    }
    if (a->png && a->labels) {
        fprintf(stderr, "songgong posters: label sheets are PDF only\n");
        return -1;
    }
    return 0;
}

static int cmp_contact(const void *a, const void *b)
{
    return strcmp(((const struct contact *)a)->code, ((const struct contact *)b)->code);
}

/* One "CODE<TAB>line" line, modified in place. 0, 1 for a line to skip, -1 when bad. */
static int parse_contact_line(char *line, struct contact *c)
{
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
    if (len == 0 || line[0] == '#')
        return 1;
    char *tab = strchr(line, '\t');
    if (tab == NULL)
        return -1;
    *tab = '\0';
    size_t n = strlen(line);
    if (sg_level_from_len(n) < 0 || strspn(line, "0123456789") != n || tab[1] == '\0' || strlen(tab + 1) > CONTACT_MAX)
        return -1;
    *c = (struct contact){line, tab + 1};
    return 0;
}

static int contacts_load(struct contacts *cs, const char *path)
{
    size_t len, lineno = 0;
    if ((cs->buf = sg_file_read(path, &len)) == NULL) {
        fprintf(stderr, "songgong posters: cannot read %s\n", path);
        return -1;
    }
    size_t cap = 1;
    for (size_t i = 0; i != len; ++i)
        cap += cs->buf[i] == '\n';
    if ((cs->v = calloc(cap, sizeof(*cs->v))) == NULL)
        abort();
    for (char *line = cs->buf, *next; line != NULL; line = next) {
        if ((next = strchr(line, '\n')) != NULL)
            *next++ = '\0';
        ++lineno;
        int r = parse_contact_line(line, &cs->v[cs->n]);
        if (r < 0) {
            fprintf(stderr, "songgong posters: %s:%zu: expected CODE<TAB>contact (at most %d bytes)\n", path, lineno,
                    CONTACT_MAX);
            return -1;
        }
        cs->n += r == 0;
    }
    qsort(cs->v, cs->n, sizeof(*cs->v), cmp_contact);
    return 0;
}

/* The line of the longest code that is a prefix of (or equal to) the village's code. */
static const char *contact_for(const struct contacts *cs, const char *village)
{
    for (int level = SG_LEVEL_VILLAGE; cs->n != 0 && level >= SG_LEVEL_PROVINCE; --level) {
        char code[SG_DIVISION_CODE_MAX + 1];
        size_t n = sg_level_code_len(level);
        memcpy(code, village, n);
        code[n] = '\0';
        struct contact key = {code, NULL}, *hit = bsearch(&key, cs->v, cs->n, sizeof(*cs->v), cmp_contact);
        if (hit != NULL)
            return hit->line;
    }
    return NULL;
}

static struct sg_poster_place place_of(const struct sg_app *app, const struct sg_division *v, const struct contacts *cs)
{
    return sg_poster_place_of(app->divisions, v, contact_for(cs, v->code));
}

static int on_write(void *closure, const unsigned char *data, size_t len)
{
    return fwrite(data, 1, len, closure) == len ? 0 : -1;
}

/* Every village in [begin, end) into one PDF on out. Returns 0 or -1 (message printed). */
static int write_pdf(const struct sg_app *app, const struct sg_poster_config *cfg, const struct args *a,
                     const struct contacts *cs, size_t begin, size_t end, FILE *out)
{
    struct sg_poster_pdf *pdf = sg_poster_pdf_new(cfg, a->labels ? SG_POSTER_LABELS : SG_POSTER_A4, on_write, out);
    if (pdf == NULL) {
        fprintf(stderr, "songgong posters: bad campaign or public URL\n");
        return -1;
    }
    for (size_t i = begin; i != end; ++i) {
        const struct sg_division *v = sg_divisions_at(app->divisions, i);
        if (v->level != SG_LEVEL_VILLAGE)
            continue;
        struct sg_poster_place pl = place_of(app, v, cs);
        int ret = sg_poster_pdf_add(pdf, &pl);
        if (ret != 0) {
            fprintf(stderr, "songgong posters: village %s: %s\n", v->code,
                    ret == SG_EIO ? "cannot write the output" : "cannot draw its poster (contact line not UTF-8?)");
            sg_poster_pdf_free(pdf);
            return -1;
        }
    }
    if (sg_poster_pdf_finish(pdf) != 0) {
        fprintf(stderr, "songgong posters: cannot write the output\n");
        return -1;
    }
    return 0;
}

static int write_png(const struct sg_app *app, const struct sg_poster_config *cfg, const struct args *a,
                     const struct contacts *cs, size_t begin, size_t end, FILE *out)
{
    const struct sg_division *v = sg_divisions_at(app->divisions, begin);
    if (end - begin != 1 || v->level != SG_LEVEL_VILLAGE) {
        fprintf(stderr, "songgong posters: --format png needs a village code as --scope\n");
        return -1;
    }
    struct sg_poster_place pl = place_of(app, v, cs);
    int ret = sg_poster_png(cfg, &pl, a->dpi, on_write, out);
    if (ret != 0) {
        fprintf(stderr, "songgong posters: %s\n", ret == SG_EIO ? "cannot write the output" : "cannot draw the poster");
        return -1;
    }
    return 0;
}

static size_t count_villages(const struct sg_divisions *ds, size_t begin, size_t end)
{
    size_t n = 0;
    for (size_t i = begin; i != end; ++i)
        n += sg_divisions_at(ds, i)->level == SG_LEVEL_VILLAGE;
    return n;
}

/* Loaded data, campaign and scope checked: open the output, render, close. */
static int render(const struct sg_app *app, const struct sg_campaign *c, const struct args *a,
                  const struct contacts *cs, size_t begin, size_t end)
{
    struct sg_poster_config cfg = {app->public_url, c->name, c->starts, c->ends};
    bool to_stdout = strcmp(a->out, "-") == 0;
    FILE *out = to_stdout ? stdout : fopen(a->out, "wb");
    if (out == NULL) {
        fprintf(stderr, "songgong posters: cannot open %s: %s\n", a->out, strerror(errno));
        return -1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int ret = a->png ? write_png(app, &cfg, a, cs, begin, end, out) : write_pdf(app, &cfg, a, cs, begin, end, out);
    if ((to_stdout ? fflush(out) : fclose(out)) != 0 && ret == 0) {
        fprintf(stderr, "songgong posters: cannot write %s: %s\n", a->out, strerror(errno));
        ret = -1;
    }
    if (ret != 0 && !to_stdout)
        unlink(a->out); /* no half a document for the print shop */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    size_t n = count_villages(app->divisions, begin, end);
    if (ret == 0)
        fprintf(stderr, "posters: %zu village%s under %s (%s) -> %s in %.2f s\n", n, n == 1 ? "" : "s", a->scope,
                a->png      ? "png"
                : a->labels ? "labels"
                            : "pdf",
                a->out, secs);
    return ret;
}

int sg_cmd_posters(int argc, char **argv)
{
    struct sg_options o;
    static struct sg_app app;
    struct args a = {.dpi = 150};
    struct contacts cs = {0};
    size_t begin, end;
    int ret = 1;
    if (sg_options_from_env(&o) != 0)
        return 1;
    int parsed = parse_args(argc, argv, &o, &a);
    if (parsed != 0)
        return parsed > 0 ? 0 : 1;
    sg_options_finish(&o);
    if (sg_data_load(&app, &o) != 0 || (a.contacts != NULL && contacts_load(&cs, a.contacts) != 0))
        goto Exit;
    const struct sg_campaign *c = sg_app_campaign(&app, a.campaign);
    if (c == NULL) {
        fprintf(stderr, "songgong posters: no such campaign (or none active) in %s/campaigns.json\n", o.data_dir);
        goto Exit;
    }
    if (sg_divisions_range(app.divisions, a.scope, &begin, &end) != 0 ||
        count_villages(app.divisions, begin, end) == 0) {
        fprintf(stderr, "songgong posters: no villages under scope '%s' in divisions-%s.tsv\n", a.scope, o.province);
        goto Exit;
    }
    ret = render(&app, c, &a, &cs, begin, end) == 0 ? 0 : 1;
Exit:
    free(cs.v);
    free(cs.buf);
    sg_data_free(&app);
    sg_poster_release_caches();
    return ret;
}
