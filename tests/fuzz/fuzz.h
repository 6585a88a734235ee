/* SPDX-License-Identifier: MIT */
/* What the libFuzzer targets share: the data tables the server loads (read once, from
 * SG_FUZZ_DATA_DIR), the fixed dates of their validation context, a reader that turns
 * the fuzz bytes into bounded numbers and strings, and SG_FUZZ_CHECK, which aborts (so
 * that libFuzzer keeps the input as a crash file) when an invariant does not hold. */
#ifndef SG_FUZZ_H
#define SG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "domain/date.h"
#include "domain/division.h"
#include "domain/idno.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SG_FUZZ_CHECK(cond)                                                                                            \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "%s:%d: invariant does not hold: %s\n", __FILE__, __LINE__, #cond);                        \
            abort();                                                                                                   \
        }                                                                                                              \
    } while (0)

/* The validation context every target uses: the tables of data/ and a day inside the
 * 2027-spring campaign (data/campaigns.json). */
struct sg_fuzz_data {
    const struct sg_divisions *divisions;    /* data/divisions-45.tsv */
    const struct sg_divisions *destinations; /* data/destinations.tsv */
    const struct sg_divisions *regions;      /* data/regions.tsv */
    struct sg_date today, starts, ends;
};

/** The tables, loaded on the first call (exits with a message when a file is missing). */
const struct sg_fuzz_data *sg_fuzz_data(void);

/** The fuzz bytes, consumed in order; past the end every read gives zeros. */
struct sg_fuzz_reader {
    const uint8_t *p;
    size_t n;
};
uint8_t sg_fuzz_u8(struct sg_fuzz_reader *r);
uint16_t sg_fuzz_u16(struct sg_fuzz_reader *r);
uint32_t sg_fuzz_u32(struct sg_fuzz_reader *r);
/** A length byte (at most max - 1), then that many bytes (NULs included) and a NUL into out. */
size_t sg_fuzz_str(struct sg_fuzz_reader *r, char *out, size_t max);

/** A NUL-terminated copy of data (size bytes; the caller frees it). */
char *sg_fuzz_cstr(const uint8_t *data, size_t size);
/** True when a and b hold the same ID number, region, birth date and sex. */
int sg_fuzz_idno_same(const struct sg_idno *a, const struct sg_idno *b);
/** True when s is valid UTF-8 with no C0/C1 control character. */
int sg_fuzz_clean_utf8(const char *s);

#endif
