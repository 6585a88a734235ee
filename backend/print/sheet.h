/* SPDX-License-Identifier: MIT */
/* A large .xlsx written row by row through libxlsxwriter's constant_memory mode (one row
 * in memory) into a private temp file, zipped (blocking: the caller runs it off the
 * loop), then read back in chunks to be streamed. Nothing here knows HTTP. */
#ifndef SG_PRINT_SHEET_H
#define SG_PRINT_SHEET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <xlsxwriter.h>

struct sg_sheet {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    size_t ncols;
    uint64_t numeric; /* bit c: column c holds numbers */
    uint32_t rows;    /* data rows written */
    lxw_error zip_error;
    char path[64]; /* the file while it is written (unlinked once opened for reading) */
    int fd;        /* -1 until ready */
    off_t size, sent;
};

/**
 * Start a workbook with one sheet named name, the title row titles[0..ncols) (ncols <= 64)
 * and column widths (widths[c] 0: the default). numeric: bit c for number columns.
 * 0, or -1 (temp file not writable; nothing left behind). The file is mode 0600.
 */
int sg_sheet_open(struct sg_sheet *s, const char *name, const char *const *titles, size_t ncols, uint64_t numeric,
                  const double *widths);
/** Append a row of ncols cells (borrowed); a numeric column's text is written as its number. */
void sg_sheet_row(struct sg_sheet *s, const char *const *cells);
/** Finish the zip: blocking, run it off the event loop. s->zip_error says how it went. */
void sg_sheet_zip(void *s);
/** After the zip: open the file for reading and unlink it; its size in s->size. 0 or -1. */
int sg_sheet_ready(struct sg_sheet *s);
/** Read the next chunk into buf (cap bytes) and its length into *len: true when it is the last. */
bool sg_sheet_read(struct sg_sheet *s, char *buf, size_t cap, size_t *len);
/** Drop the workbook and its file, whatever state it is in (safe to call twice). */
void sg_sheet_discard(struct sg_sheet *s);

#endif
