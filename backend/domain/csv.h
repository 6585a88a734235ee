/* SPDX-License-Identifier: MIT */
/* CSV cells as RFC 4180 wants them, safe to open in Excel, WPS and LibreOffice: a cell
 * that a spreadsheet would read as a formula gets a leading apostrophe. Pure. */
#ifndef SG_DOMAIN_CSV_H
#define SG_DOMAIN_CSV_H

#include <stddef.h>

/** The UTF-8 byte order mark Excel needs to read a CSV file as UTF-8. */
#define SG_CSV_BOM "\xEF\xBB\xBF"

/** Most bytes sg_csv_cell can write for an input of len bytes (NUL included). */
#define SG_CSV_CELL_MAX(len) (2 * (len) + 4)

/**
 * Write s as one CSV cell into out (NUL-terminated) and return its length. The cell is
 * quoted when it holds a comma, a double quote, CR or LF, with inner quotes doubled; a
 * value starting with = + - @, TAB or CR is prefixed with ' so that it stays text.
 * outsz must be at least SG_CSV_CELL_MAX(strlen(s)).
 */
size_t sg_csv_cell(const char *s, char *out, size_t outsz);

#endif
