/* SPDX-License-Identifier: MIT */
/* What anyone may ask without a session: health, reference data, the worker's pages,
 * QR codes; and the posters of a scope (staff). */
#ifndef SG_HTTP_PUBLIC_PUBLIC_H
#define SG_HTTP_PUBLIC_PUBLIC_H

#include <h2o.h>

int sg_on_health(h2o_handler_t *self, h2o_req_t *req);       /* health.c: GET /healthz */
int sg_on_division(h2o_handler_t *self, h2o_req_t *req);     /* divisions.c: GET /api/divisions/{code} */
int sg_on_destinations(h2o_handler_t *self, h2o_req_t *req); /* divisions.c: GET /api/destinations */
int sg_on_campaign(h2o_handler_t *self, h2o_req_t *req);     /* divisions.c: GET /api/campaign */
int sg_on_qr(h2o_handler_t *self, h2o_req_t *req);           /* qrcode.c: GET /qr/... */
int sg_on_signup_page(h2o_handler_t *self, h2o_req_t *req);  /* site.c: GET /s/{village} */
int sg_on_status_page(h2o_handler_t *self, h2o_req_t *req);  /* site.c: GET /status */
int sg_on_posters(h2o_handler_t *self, h2o_req_t *req);      /* posters.c: GET /api/posters... (staff) */

#endif
