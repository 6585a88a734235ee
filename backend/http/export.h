/* SPDX-License-Identifier: MIT */
/* Shared between exports.c (the request, the rows, CSV) and export_xlsx.c. */
#ifndef SG_HTTP_EXPORT_H
#define SG_HTTP_EXPORT_H

#include <stdbool.h>
#include <sys/types.h>
#include <xlsxwriter.h>
#include "http/staff.h"

#define SG_EXPORT_COLUMNS 21

/** An export in progress: its own heap object (the request may go first; see exports.c). */
struct sg_export {
    struct sg_staff_req base;
    h2o_generator_t gen;
    struct sg_listing l;
    bool full, xlsx;
    bool busy;    /* a Redis call or the zip job is out: it will come back to this object */
    bool started; /* h2o_start_response done: the generator is live */
    size_t rows;  /* people written */
    char after[40];
    char *buf; /* CSV text, or a chunk of the .xlsx file, waiting for h2o to send it */
    size_t len, cap;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_error zip_error;
    char path[64]; /* the .xlsx file while libxlsxwriter writes it (unlinked once opened) */
    int fd;
    off_t size, sent;
};

/** The Chinese column titles, in order. */
extern const char *const sg__export_titles[SG_EXPORT_COLUMNS];

/**
 * The cells of person i of s: texts in storage (SG_EXPORT_COLUMNS × 160 bytes), pointers
 * in cells. Full numbers only with e->full.
 */
void sg__export_cells(const struct sg_export *e, const struct sg_stored_registration *s, size_t i, char (*storage)[160],
                      const char **cells);

/* export_xlsx.c */
/** Create the workbook in a private temp file and write the title row. 0 or -1. */
int sg__xlsx_open(struct sg_export *e);
/** Append the matching people of a page. */
void sg__xlsx_rows(struct sg_export *e, const struct sg_scan_page *page);
/** Zip it off the loop, then call done(e) on the loop (e->zip_error says how it went). */
void sg__xlsx_close(struct sg_export *e, void (*done)(void *e));
/** Drop an unfinished workbook and its file. */
void sg__xlsx_discard(struct sg_export *e);
/** After close: open the file and unlink it; its size in e->size. 0 or -1. */
int sg__xlsx_ready(struct sg_export *e);
/** Read the next chunk of the file into e->buf (e->len); true when it is the last. */
bool sg__xlsx_chunk(struct sg_export *e);

#endif
