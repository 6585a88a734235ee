/* SPDX-License-Identifier: MIT */
/* The streamed .xlsx: rows go to a temp file as they come, the zip is written by the
 * caller's worker, then the file is opened, unlinked at once, and read in chunks. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "print/sheet.h"

int sg_sheet_open(struct sg_sheet *s, const char *name, const char *const *titles, size_t ncols, uint64_t numeric,
                  const double *widths)
{
    const char *tmp = getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 32 ? getenv("TMPDIR") : "/tmp";
    *s = (struct sg_sheet){.ncols = ncols, .numeric = numeric, .fd = -1};
    snprintf(s->path, sizeof(s->path), "%s/songgong-export-XXXXXX", tmp);
    int fd = mkstemp(s->path); /* mode 0600: a full export holds ID numbers */
    if (fd == -1) {
        s->path[0] = '\0';
        return -1;
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    if ((s->wb = workbook_new_opt(s->path, &opt)) == NULL || (s->ws = workbook_add_worksheet(s->wb, name)) == NULL) {
        sg_sheet_discard(s);
        return -1;
    }
    for (lxw_col_t c = 0; c != ncols; ++c) {
        worksheet_write_string(s->ws, 0, c, titles[c], NULL);
        if (widths != NULL && widths[c] > 0)
            worksheet_set_column(s->ws, c, c, widths[c], NULL);
    }
    return 0;
}

void sg_sheet_row(struct sg_sheet *s, const char *const *cells)
{
    lxw_row_t row = (lxw_row_t)++s->rows;
    for (lxw_col_t c = 0; c != s->ncols; ++c) {
        if (s->numeric & (UINT64_C(1) << c))
            worksheet_write_number(s->ws, row, c, strtod(cells[c], NULL), NULL);
        else
            worksheet_write_string(s->ws, row, c, cells[c], NULL);
    }
}

void sg_sheet_zip(void *arg)
{
    struct sg_sheet *s = arg;
    s->zip_error = workbook_close(s->wb); /* frees the workbook */
    s->wb = NULL;
}

void sg_sheet_discard(struct sg_sheet *s)
{
    if (s->wb != NULL)
        lxw_workbook_free(s->wb);
    s->wb = NULL;
    if (s->path[0] != '\0')
        unlink(s->path);
    s->path[0] = '\0';
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

int sg_sheet_ready(struct sg_sheet *s)
{
    struct stat st;
    s->fd = s->zip_error == LXW_NO_ERROR ? open(s->path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(s->path);
    s->path[0] = '\0';
    if (s->fd == -1 || fstat(s->fd, &st) != 0)
        return -1;
    s->size = st.st_size;
    s->sent = 0;
    return 0;
}

bool sg_sheet_read(struct sg_sheet *s, char *buf, size_t cap, size_t *len)
{
    ssize_t n = pread(s->fd, buf, cap, s->sent);
    *len = n > 0 ? (size_t)n : 0;
    s->sent += (off_t)*len;
    return n <= 0 || s->sent >= s->size;
}
