/* SPDX-License-Identifier: MIT */
/* The .xlsx export through libxlsxwriter in constant_memory mode: rows go to a temp
 * file as they come (one row in memory), the zip is written off the loop, then the file
 * is opened, unlinked at once, and streamed in chunks. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http/export.h"
#include "http/offload.h"

#define CHUNK (64 * 1024)

int sg__xlsx_open(struct sg_export *e)
{
    const char *tmp = getenv("TMPDIR") != NULL && strlen(getenv("TMPDIR")) < 32 ? getenv("TMPDIR") : "/tmp";
    snprintf(e->path, sizeof(e->path), "%s/songgong-export-XXXXXX", tmp);
    int fd = mkstemp(e->path); /* mode 0600: a full export holds ID numbers */
    if (fd == -1)
        return -1;
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    if ((e->wb = workbook_new_opt(e->path, &opt)) == NULL || (e->ws = workbook_add_worksheet(e->wb, "报名")) == NULL) {
        sg__xlsx_discard(e);
        return -1;
    }
    for (lxw_col_t c = 0; c != SG_EXPORT_COLUMNS; ++c)
        worksheet_write_string(e->ws, 0, c, sg__export_titles[c], NULL);
    worksheet_set_column(e->ws, 4, 4, 22, NULL); /* ID numbers */
    worksheet_set_column(e->ws, 19, 19, 17, NULL);
    return 0;
}

void sg__xlsx_rows(struct sg_export *e, const struct sg_scan_page *page)
{
    char storage[SG_EXPORT_COLUMNS][160];
    const char *cells[SG_EXPORT_COLUMNS];
    for (size_t r = 0; r != page->n; ++r) {
        const struct sg_stored_registration *s = &page->rows[r];
        if (!sg_filter_match(&e->l.filter, s->code, s->status, &s->reg, s->id_masked, s->phone_masked))
            continue;
        for (size_t i = 0; i != s->reg.npeople; ++i) {
            sg__export_cells(e, s, i, storage, cells);
            lxw_row_t row = (lxw_row_t)++e->rows;
            for (lxw_col_t c = 0; c != SG_EXPORT_COLUMNS; ++c) {
                if (c == 3 || c == 15) /* age, flexible days: numbers */
                    worksheet_write_number(e->ws, row, c, strtod(cells[c], NULL), NULL);
                else
                    worksheet_write_string(e->ws, row, c, cells[c], NULL);
            }
        }
    }
}

static void zip(void *arg)
{
    struct sg_export *e = arg;
    e->zip_error = workbook_close(e->wb); /* frees the workbook */
    e->wb = NULL;
}

void sg__xlsx_close(struct sg_export *e, void (*done)(void *e))
{
    sg_offload_run(zip, done, e);
}

void sg__xlsx_discard(struct sg_export *e)
{
    if (e->wb != NULL)
        lxw_workbook_free(e->wb);
    e->wb = NULL;
    if (e->path[0] != '\0')
        unlink(e->path);
    e->path[0] = '\0';
    if (e->fd > 0)
        close(e->fd);
    e->fd = -1;
}

int sg__xlsx_ready(struct sg_export *e)
{
    struct stat st;
    e->fd = e->zip_error == LXW_NO_ERROR ? open(e->path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(e->path);
    e->path[0] = '\0';
    if (e->fd == -1 || fstat(e->fd, &st) != 0)
        return -1;
    e->size = st.st_size;
    e->sent = 0;
    return 0;
}

bool sg__xlsx_chunk(struct sg_export *e)
{
    if (e->cap < CHUNK) {
        free(e->buf);
        if ((e->buf = malloc(CHUNK)) == NULL)
            abort();
        e->cap = CHUNK;
    }
    ssize_t n = pread(e->fd, e->buf, CHUNK, e->sent);
    e->len = n > 0 ? (size_t)n : 0;
    e->sent += (off_t)e->len;
    return n <= 0 || e->sent >= e->size;
}
