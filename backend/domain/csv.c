/* SPDX-License-Identifier: MIT */
/* CSV cell quoting (RFC 4180) with formula-injection protection (OWASP "CSV injection"). */
#include <assert.h>
#include <string.h>
#include "domain/csv.h"

size_t sg_csv_cell(const char *s, char *out, size_t outsz)
{
    size_t len = strlen(s), n = 0;
    assert(outsz >= SG_CSV_CELL_MAX(len));
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        out[n++] = '"';
    if (len != 0 && strchr("=+-@\t\r", s[0]) != NULL)
        out[n++] = '\'';
    for (const char *p = s; *p != '\0'; ++p) {
        if (*p == '"')
            out[n++] = '"';
        out[n++] = *p;
    }
    if (quote)
        out[n++] = '"';
    out[n] = '\0';
    return n;
}
