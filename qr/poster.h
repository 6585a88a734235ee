/* SPDX-License-Identifier: MIT */
/* Village sign-up posters: one A4 portrait page per village (title, place, a 12 cm QR code
 * of the sign-up link, the link, four steps, staff contact, campaign dates) or label sheets
 * (3 x 8 per A4 page), drawn with cairo and pango. PDF is streamed page by page through a
 * write callback, so memory stays bounded whatever the number of villages; a single poster
 * can also be a PNG. No files, no logging, no globals of our own; pango, fontconfig and
 * libqrencode are not thread-safe: use from one thread at a time. */
#ifndef SG_POSTER_H
#define SG_POSTER_H

#include <stddef.h>
#include "domain/date.h"

#define SG_POSTER_LABEL_COLUMNS 3
#define SG_POSTER_LABEL_ROWS 8
#define SG_POSTER_LABELS_PER_PAGE (SG_POSTER_LABEL_COLUMNS * SG_POSTER_LABEL_ROWS)

/**
 * Receives the document in order, in chunks of any size. Return 0 to go on; anything else
 * stops the document (the call that was writing returns SG_EIO). data is only valid
 * during the call.
 */
typedef int (*sg_poster_write_cb)(void *closure, const unsigned char *data, size_t len);

enum sg_poster_layout {
    SG_POSTER_A4 = 0,     /* one A4 portrait poster per village */
    SG_POSTER_LABELS = 1, /* 3 x 8 small labels per A4 page */
};

/** What every page of a document shares. Strings are UTF-8, borrowed for the call only. */
struct sg_poster_config {
    const char *public_url;      /* base of the links, no trailing slash: {public_url}/s/{village} */
    const char *campaign_name;   /* the title, e.g. 2027年春节后"点对点"返岗 */
    struct sg_date starts, ends; /* the campaign's dates (inclusive), printed on each poster */
};

/** One village. Strings are UTF-8 and borrowed for the call only. */
struct sg_poster_place {
    const char *code;     /* the village's 12-digit code, encoded into the link */
    const char *county;   /* county name (县/区/市), or NULL */
    const char *township; /* township name (乡/镇/街道), or NULL */
    const char *village;  /* village name; required */
    const char *contact;  /* staff contact line (e.g. "村委 韦主任 13800000000"), or NULL for none */
};

struct sg_poster_pdf; /* opaque: one PDF document being written */

struct sg_divisions;
struct sg_division;
/**
 * The place of village v of ds: its code, county, township and village names (borrowed
 * from ds) and contact (borrowed; may be NULL).
 */
struct sg_poster_place sg_poster_place_of(const struct sg_divisions *ds, const struct sg_division *v,
                                          const char *contact);

/**
 * Start a PDF of the given layout. Nothing is written yet. cfg is copied. write and
 * closure are kept until sg_poster_pdf_finish or _free. Returns NULL when cfg is
 * incomplete (public_url, campaign_name, valid dates) or a string is not UTF-8.
 * Out of memory aborts.
 */
struct sg_poster_pdf *sg_poster_pdf_new(const struct sg_poster_config *cfg, enum sg_poster_layout layout,
                                        sg_poster_write_cb write, void *closure);

/**
 * Add a village. SG_POSTER_A4: its page is drawn and written out (through write) before
 * this returns, so a caller can pace itself one village per call (an HTTP handler: one
 * page per "proceed"). SG_POSTER_LABELS: a page is written when its 24th label is added.
 * Returns 0; SG_EINVAL for a bad place (nothing is drawn, the document stays usable);
 * SG_EIO when write failed earlier or now (the document is unusable: free it).
 */
int sg_poster_pdf_add(struct sg_poster_pdf *pdf, const struct sg_poster_place *place);

/** Pages added so far (labels: pages begun). */
size_t sg_poster_pdf_pages(const struct sg_poster_pdf *pdf);

/**
 * Write the last (partial) label page, the embedded font subsets and the trailer, then
 * free pdf. Returns 0 or SG_EIO (write failed). A document with no village is a valid
 * PDF of one empty page: callers should refuse empty scopes before starting.
 */
int sg_poster_pdf_finish(struct sg_poster_pdf *pdf);

/** Abandon a document without writing anything more (the client went away). NULL is a no-op. */
void sg_poster_pdf_free(struct sg_poster_pdf *pdf);

/**
 * One village's A4 poster as a PNG at dpi dots per inch (36..600; 150 gives 1240 x 1754),
 * written through write. Returns 0, SG_EINVAL (bad cfg, place or dpi), SG_EIO or SG_ENOMEM.
 */
int sg_poster_png(const struct sg_poster_config *cfg, const struct sg_poster_place *place, double dpi,
                  sg_poster_write_cb write, void *closure);

/**
 * Release the process-wide caches that rendering filled (pango's font map, cairo's font
 * and static data, fontconfig's configuration), so that a leak checker sees a clean exit.
 * Call once at exit, when no document is open; rendering afterwards is not supported.
 */
void sg_poster_release_caches(void);

#endif
