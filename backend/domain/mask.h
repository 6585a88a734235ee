/* SPDX-License-Identifier: MIT */
/* Masking of personal numbers for display: what staff and workers see by default. Pure. */
#ifndef SG_DOMAIN_MASK_H
#define SG_DOMAIN_MASK_H

/** "450102199001011234" -> "450102********1234". id must be 18 chars. */
void sg_mask_idno(const char *id, char out[19]);
/** "13812345678" -> "138****5678". phone must be 11 chars. */
void sg_mask_phone(const char *phone, char out[12]);

#endif
