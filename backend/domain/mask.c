/* SPDX-License-Identifier: MIT */
/* Masking of ID and phone numbers for display. The masked forms keep the region code and
 * the last digits so staff can tell people apart without seeing the whole number. */
#include <string.h>
#include "domain/mask.h"

void sg_mask_idno(const char *id, char out[19])
{
    memcpy(out, id, 6);
    memset(out + 6, '*', 8);
    memcpy(out + 14, id + 14, 4);
    out[18] = '\0';
}

void sg_mask_phone(const char *phone, char out[12])
{
    memcpy(out, phone, 3);
    memset(out + 3, '*', 4);
    memcpy(out + 7, phone + 7, 4);
    out[11] = '\0';
}
