/* SPDX-License-Identifier: MIT */
/* A vehicle's passenger list (乘车人员名单) as rows ready to print, and its renderings
 * as CSV, PDF (cairo + pango) and .xlsx (libxlsxwriter). The PDF and .xlsx take a second
 * or more for a full train: the server runs them on the offload worker, one at a time,
 * so a doc holds its own copies of everything (nothing borrowed from a store reply).
 * The rows are built by service/manifest.h. */
#ifndef SG_PRINT_MANIFEST_H
#define SG_PRINT_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include "domain/code.h"
#include "domain/vehicle.h"

/** The forms a manifest is given in (GET /api/vehicles/{id}/manifest[.csv|.xlsx|.pdf]). */
enum sg_manifest_format { SG_MANIFEST_JSON, SG_MANIFEST_CSV, SG_MANIFEST_XLSX, SG_MANIFEST_PDF };

struct sg_manifest_row {
    unsigned no;      /* 序号, from 1 */
    char name[128];   /* as struct sg_person's */
    const char *sex;  /* 男 / 女 (static) */
    char id[19];      /* masked, or full for a logged full export */
    char phone[12];   /* masked (or full), "" when none */
    char place[200];  /* 乡镇 + 村 */
    const char *stop; /* pickup stop: borrowed from the doc's vehicle */
    char dest[400];   /* 目的地 / 用工企业 */
    char seat[32];    /* "12" or "3车41座" */
    bool poverty;     /* 脱贫人口 (incl. monitored) */
    bool boarded;
    char code[SG_CODE_LEN + 1]; /* registration code */
};

/* The table's columns, the same in CSV, .xlsx and PDF. */
#define SG_MANIFEST_COLS 11
extern const char *const sg_manifest_heads[SG_MANIFEST_COLS];
/** Row r's cells in column order (into out, borrowing r and no, which gets 序号). */
void sg_manifest_cells(const struct sg_manifest_row *r, char no[16], const char *out[SG_MANIFEST_COLS]);

/** A time of the plan as printed: "07:30", or "（时间待定）" while the organiser has not set it. */
const char *sg_manifest_time(const char *time);
/**
 * The plan's pickup line, the same in the PDF and the .xlsx: "上车点：A 07:00 → B 07:40"; a stop
 * matching proposed shows its place and "（时间待定）", a plan with no stop "上车点：（待定）".
 * Into out (n bytes, cut at n).
 */
void sg_manifest_stops_line(const struct sg_vehicle *v, char *out, size_t n);

/**
 * The plan's people on board, the same in the PDF and the .xlsx: "车长：A　副车长：B　｜　车队：C（车队长
 * D）", with only the parts the plan has; "" when it has none. The hand-over is not in it: it has
 * its own line at the foot (sg_manifest_handover_line), where it is signed, and the header stays
 * one line.
 */
void sg_manifest_crew_line(const struct sg_vehicle *v, char *out, size_t n);
/** The hand-over at arrival, to sign on paper: who receives the people (or a blank), signature and time. */
void sg_manifest_handover_line(const struct sg_vehicle *v, char *out, size_t n);

struct sg_manifest_doc {
    const struct sg_vehicle *v;
    const char *city_name;  /* destination city (from the app's tables, which live as long as the app) */
    const char *owner_name; /* the owning division (the same) */
    struct sg_manifest_row *rows;
    size_t n, poverty, boarded;
};

/** The CSV (UTF-8 with a BOM for Excel; formula-like cells defused): malloc'ed, *len bytes. */
unsigned char *sg_manifest_csv(const struct sg_manifest_doc *d, size_t *len);
/**
 * The PDF (A4, plan header on every page, table, totals and signature lines): malloc'ed, *len bytes; NULL on
 * failure. Call from one thread at a time: it keeps one font map of its own (not the thread's default).
 */
unsigned char *sg_manifest_pdf(const struct sg_manifest_doc *d, size_t *len);
/** The .xlsx: malloc'ed, *len bytes; NULL on failure (temporary file not writable). */
unsigned char *sg_manifest_xlsx(const struct sg_manifest_doc *d, size_t *len);

/** Drop the font caches that drawing PDFs filled (at shutdown, so leak checkers see a clean exit; no PDF may be in
 * progress on any thread). */
void sg_manifest_pdf_cleanup(void);

#endif
