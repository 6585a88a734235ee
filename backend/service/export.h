/* SPDX-License-Identifier: MIT */
/* A row of the registrations export (one per person): the columns and their texts, the
 * same in CSV and .xlsx. Full ID and phone numbers only when asked for (a logged act). */
#ifndef SG_SERVICE_EXPORT_H
#define SG_SERVICE_EXPORT_H

#include <stdbool.h>
#include "service/app.h"
#include "store/store.h"

#define SG_EXPORT_COLUMNS 22
#define SG_EXPORT_CELL_MAX 160
#define SG_EXPORT_NUMERIC ((1u << 3) | (1u << 15)) /* age, flexible days */

/** The Chinese column titles, in order. */
extern const char *const sg_export_titles[SG_EXPORT_COLUMNS];
/** Suggested column widths for a spreadsheet (0: the default). */
extern const double sg_export_widths[SG_EXPORT_COLUMNS];

/**
 * The cells of person i of s: texts in storage, pointers (into storage, s or static
 * strings) in cells. Full numbers only with full.
 */
void sg_export_cells(const struct sg_app *app, const struct sg_stored_registration *s, size_t i, bool full,
                     char (*storage)[SG_EXPORT_CELL_MAX], const char **cells);

#endif
