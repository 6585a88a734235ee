/* SPDX-License-Identifier: MIT */
/* Reading data/templates/sms.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "service/templates.h"

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n)
        buf[n] = '\0';
    else
        free(buf), buf = NULL;
    fclose(f);
    return buf;
}

static bool copy(char *dst, size_t size, const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= size)
        return false;
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return true;
}

static bool read_template(const cJSON *item, struct sg_template *t)
{
    const cJSON *p;
    memset(t, 0, sizeof(*t));
    if (strlen(item->string) >= sizeof(t->name) || !copy(t->text, sizeof(t->text), item, "text") ||
        !copy(t->provider_id, sizeof(t->provider_id), item, "provider_id"))
        return false;
    memcpy(t->name, item->string, strlen(item->string) + 1);
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(item, "params")) {
        if (!cJSON_IsString(p) || t->nparams == SG_TEMPLATE_PARAMS || strlen(p->valuestring) >= sizeof(t->params[0]))
            return false;
        memcpy(t->params[t->nparams++], p->valuestring, strlen(p->valuestring) + 1);
    }
    return true;
}

int sg_templates_load(const char *path, struct sg_templates *out, char *err, size_t errsz)
{
    char *text = read_file(path);
    cJSON *root = text != NULL ? cJSON_Parse(text) : NULL, *item;
    int ret = -1;
    memset(out, 0, sizeof(*out));
    if (root == NULL) {
        snprintf(err, errsz, "cannot read %s as JSON", path);
        goto Exit;
    }
    if (!copy(out->signature, sizeof(out->signature), root, "signature") ||
        !copy(out->optout, sizeof(out->optout), root, "optout")) {
        snprintf(err, errsz, "%s: signature and optout must be strings", path);
        goto Exit;
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(root, "templates")) {
        if (out->n == SG_TEMPLATES_MAX || !read_template(item, &out->t[out->n])) {
            snprintf(err, errsz, "%s: template %s is not {text, provider_id, params}", path, item->string);
            goto Exit;
        }
        ++out->n;
    }
    ret = 0;
Exit:
    cJSON_Delete(root);
    free(text);
    return ret;
}

const struct sg_template *sg_templates_find(const struct sg_templates *ts, const char *name)
{
    for (size_t i = 0; i != ts->n; ++i)
        if (strcmp(ts->t[i].name, name) == 0)
            return &ts->t[i];
    return NULL;
}
