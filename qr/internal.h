/* SPDX-License-Identifier: MIT */
/* Shared between the files of qr/ only: encoding a text once and drawing the encoded code,
 * so that a poster knows the module count before it places the code. */
#ifndef SG_QR_INTERNAL_H
#define SG_QR_INTERNAL_H

#include <cairo.h>
#include <qrencode.h>

/** Encode text (level M, 8-bit). 0 with *code set (free with QRcode_free), SG_EINVAL or SG_ENOMEM. */
int sg__qr_encode(const char *text, QRcode **code);
/** Draw code with its quiet zone at (x, y), module user units per module. */
void sg__qr_draw_code(cairo_t *cr, const QRcode *code, double x, double y, double module);

#endif
