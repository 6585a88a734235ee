/* SPDX-License-Identifier: MIT */
/* The worker's proof for a lookup or cancel: the code as typed (any case, with or
 * without spaces) and the last 4 digits of the phone, compared in constant time; and the
 * attempt limits around it (docs/security.md): every attempt is counted per client
 * address and per code before it is checked, so parallel guesses cannot pass a limit;
 * a right proof forgives the wrong ones before it (they were the worker's own typing:
 * only someone who knows the pair gets a right one). */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "domain/code.h"
#include "domain/err.h"
#include "http/core/limits.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "http/registrations/registrations.h"

int sg__registration_proof_ok(const struct sg_stored_registration *s, const char *phone4)
{
    const char *phone = s->reg.people[0].phone;
    return strlen(phone) == 11 && sodium_memcmp(phone + 7, phone4, 4) == 0;
}

int sg__registration_code(const char *typed, size_t len, const char *phone4, char code[SG_CODE_LEN + 1])
{
    char buf[32];
    if (len >= sizeof(buf) || phone4 == NULL || strlen(phone4) != 4 || strspn(phone4, "0123456789") != 4)
        return SG_EINVAL;
    memcpy(buf, typed, len);
    buf[len] = '\0';
    return sg_code_normalize(buf, code) == 0 ? 0 : SG_EINVAL;
}

static void on_counted(void *data, int status, size_t which, unsigned retry_after_s)
{
    struct sg_proof_attempt *a = data;
    h2o_req_t *req = a->p->req;
    if (req != NULL && status == 0 && which == 0) {
        a->next(a->p);
        return;
    }
    if (req != NULL && status == 0)
        sg_reply_limited(req, 429, which == 1 ? "rate_limited" : "too_many_attempts", retry_after_s);
    else if (req != NULL)
        sg_reply_store_error(req, status);
    sg_pending_free(a->p);
}

void sg__proof_begin(struct sg_proof_attempt *a, struct sg_pending *p, const char *subject,
                     void (*next)(struct sg_pending *p))
{
    a->p = p;
    a->next = next;
    sg_client_address(p->req, a->address);
    snprintf(a->subject, sizeof(a->subject), "%s", subject);
    a->limits[0] = sg_limit_of(p->app, SG_LIMIT_LOOKUP, a->address);
    a->limits[1] = sg_limit_of(p->app, SG_LIMIT_CODE, a->subject);
    int ret = sg_store_limit_take(p->app->store, a->limits, 2, on_counted, a);
    if (ret != 0) {
        sg_reply_store_error(p->req, ret);
        sg_pending_free(p);
    }
}

void sg__proof_right(struct sg_proof_attempt *a)
{
    if (a->limits[1].count != 0)
        sg_store_limit_forgive(a->p->app->store, &a->limits[1], 1);
}
