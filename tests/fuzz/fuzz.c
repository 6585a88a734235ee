/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz targets: the data tables, loaded once the way backend/cmd/data.c
 * loads them, and the byte reader. */
#include <string.h>
#include "domain/text.h"
#include "fuzz.h"

#ifndef SG_FUZZ_DATA_DIR
#define SG_FUZZ_DATA_DIR "data"
#endif

static struct sg_divisions *load(const char *name, bool allow_orphans)
{
    char path[1024];
    const char *dir = getenv("SG_FUZZ_DATA_DIR");
    snprintf(path, sizeof(path), "%s/%s", dir != NULL ? dir : SG_FUZZ_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    long size;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "fuzz: cannot read %s (set SG_FUZZ_DATA_DIR)\n", path);
        exit(2);
    }
    char *buf = malloc((size_t)size + 1);
    if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size)
        abort();
    fclose(f);
    size_t bad = 0;
    struct sg_divisions *ds = sg_divisions_parse(buf, (size_t)size, allow_orphans, &bad);
    if (ds == NULL) {
        fprintf(stderr, "fuzz: %s:%zu: bad line\n", path, bad);
        exit(2);
    }
    return ds;
}

const struct sg_fuzz_data *sg_fuzz_data(void)
{
    static struct sg_fuzz_data d;
    if (d.divisions == NULL) {
        d.divisions = load("divisions-45.tsv", false);
        d.destinations = load("destinations.tsv", false);
        d.regions = load("regions.tsv", true);
        d.today = (struct sg_date){2027, 1, 20};
        d.starts = (struct sg_date){2027, 1, 1};
        d.ends = (struct sg_date){2027, 3, 31};
    }
    return &d;
}

uint8_t sg_fuzz_u8(struct sg_fuzz_reader *r)
{
    if (r->n == 0)
        return 0;
    --r->n;
    return *r->p++;
}

uint16_t sg_fuzz_u16(struct sg_fuzz_reader *r)
{
    uint16_t hi = sg_fuzz_u8(r);
    return (uint16_t)(hi << 8 | sg_fuzz_u8(r));
}

uint32_t sg_fuzz_u32(struct sg_fuzz_reader *r)
{
    uint32_t hi = sg_fuzz_u16(r);
    return hi << 16 | sg_fuzz_u16(r);
}

size_t sg_fuzz_str(struct sg_fuzz_reader *r, char *out, size_t max)
{
    size_t n = sg_fuzz_u8(r) % max;
    if (n > r->n)
        n = r->n;
    memcpy(out, r->p, n);
    out[n] = '\0';
    r->p += n, r->n -= n;
    return n;
}

char *sg_fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

int sg_fuzz_clean_utf8(const char *s)
{
    size_t len = strlen(s);
    if (!sg_utf8_valid(s, len))
        return 0;
    for (size_t i = 0; i != len; ++i) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F))
            return 0;
    }
    return 1;
}

int sg_fuzz_idno_same(const struct sg_idno *a, const struct sg_idno *b)
{
    return strcmp(a->number, b->number) == 0 && strcmp(a->region, b->region) == 0 &&
           sg_date_cmp(a->birth, b->birth) == 0 && a->sex == b->sex;
}
