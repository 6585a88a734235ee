/* SPDX-License-Identifier: MIT */
/* QR codes of sign-up links: PNG and SVG bytes, and vector drawing into a cairo context
 * (for posters). The only code that includes qrencode.h; libqrencode is not thread-safe,
 * so callers encode from one thread at a time. */
#ifndef SG_QR_H
#define SG_QR_H

#include <stddef.h>

#define SG_QR_QUIET 4 /* modules of quiet zone on every side */

/**
 * Encode text (error correction M, 8-bit mode) into a PNG of at least min_px pixels a
 * side, whole pixels per module, black on white, with a 4-module quiet zone.
 * On success returns 0 and *out (malloc'ed, caller frees with free()) / *outlen.
 * Returns SG_EINVAL when the text cannot be encoded, SG_ENOMEM/SG_EIO otherwise.
 */
int sg_qr_png(const char *text, unsigned min_px, unsigned char **out, size_t *outlen);

/** Same as an SVG document (one path, viewBox in modules, crisp edges). *out is also
 * NUL-terminated; the terminator is not counted in *outlen. */
int sg_qr_svg(const char *text, unsigned char **out, size_t *outlen);

/**
 * Draw the code as vector rectangles into cr (a cairo_t *, passed as void * so that this
 * header does not pull in cairo), quiet zone included, with its top-left corner at (x, y)
 * and size x size user units. Returns 0 or SG_EINVAL.
 */
int sg_qr_draw(void *cr, const char *text, double x, double y, double size);

#endif
