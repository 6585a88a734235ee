/* SPDX-License-Identifier: MIT */
/* The message templates as data (data/templates/sms.json): the sender's signature, the
 * opt-out line, and each template's text, provider template ID and parameters. */
#ifndef SG_SERVICE_TEMPLATES_H
#define SG_SERVICE_TEMPLATES_H

#include "domain/notify.h"

#define SG_TEMPLATES_MAX 16

struct sg_templates {
    char signature[64];
    char optout[64];
    struct sg_template t[SG_TEMPLATES_MAX];
    size_t n;
};

/** Load path into out. 0, or -1 with a reason (static or in err, errsz bytes). */
int sg_templates_load(const char *path, struct sg_templates *out, char *err, size_t errsz);
/** The template named name, or NULL. */
const struct sg_template *sg_templates_find(const struct sg_templates *ts, const char *name);

#endif
