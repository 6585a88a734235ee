/* SPDX-License-Identifier: MIT */
/* JSON answers. Every error leaves as {"error":{"code","message",...}} with a Chinese
 * message from the table below, the one place where codes meet words. */
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "domain/err.h"
#include "http/core/reply.h"
#include "http/core/request.h"
#include "store/store.h"

static const struct {
    const char *code, *message;
} messages[] = {
    /* field rules (domain) */
    {"required", "此项必须填写"},
    {"type", "格式不对"},
    {"utf8", "含有无法识别的字符"},
    {"chars", "含有不允许的字符（姓名只能用汉字、字母和间隔号·）"},
    {"employer_chars", "单位名称里有不能用的字符（如换行或看不见的控制符），请重新输入"},
    {"too_short", "太短了，请填写完整"},
    {"too_long", "太长了，请精简"},
    {"idno_legacy15", "这是15位旧身份证号，请填写18位新身份证号"},
    {"idno_length", "身份证号应为18位"},
    {"idno_chars", "身份证号应为17位数字加最后一位数字或X"},
    {"idno_date", "身份证号里的出生日期不对，请核对"},
    {"idno_future", "身份证号里的出生日期晚于今天，请核对"},
    {"idno_check", "身份证号最后一位不对，请再核对一遍"},
    {"phone_format", "手机号应为11位，以1开头"},
    {"unknown_village", "找不到这个村，请扫描本村的二维码"},
    {"unknown_city", "请选择目的地城市"},
    {"date_format", "日期格式应为 年-月-日"},
    {"date_window", "出发日期不在本次送工活动时间内"},
    {"date_past", "出发日期不能早于今天"},
    {"flex_range", "可提前或推后的天数应为0到3天"},
    {"mode_enum", "请选择出行方式"},
    {"poverty_enum", "请选择是否脱贫人口"},
    {"too_many_companions", "同行人最多9人"},
    {"consent_required", "请阅读并勾选同意个人信息使用说明"},
    {"duplicate_in_request", "同一个身份证号填了两次"},
    {"phone4_format", "请填写手机号的最后4位数字"},
    /* request-level errors */
    {"bad_json", "提交的内容格式不对，请刷新页面后重试"},
    {"too_large", "提交的内容太大"},
    {"unsupported_media_type", "提交格式应为 JSON"},
    {"not_found", "找不到"},
    {"duplicate", "这个身份证号已经报过名了，可以在“查询报名”里查看"},
    {"bad_idempotency_key", "请求编号格式不对"},
    {"campaign_closed", "现在没有开放报名的送工活动"},
    {"method_not_allowed", "不支持这种请求"},
    {"unavailable", "系统繁忙，请稍后再试（您填写的内容不会丢失）"},
    {"timeout", "系统响应超时，请稍后再试"},
    {"internal", "系统出错了，请稍后再试"},
    {"login_required", "请先登录"},
    {"bad_login", "用户名或密码不对"},
    {"locked", "密码错误次数太多，账号已锁定15分钟"},
    {"csrf", "页面已过期，请刷新后重试"},
    {"forbidden", "没有权限查看或修改这项内容"},
    {"bad_request", "请求参数不对"},
    {"count_range", "请填写0或正整数"},
    {"date_future", "日期不能晚于今天"},
    {"date_year", "日期应在本次活动的年份内"},
    /* transport */
    {"type_enum", "车辆类型应为专车、专列或专机"},
    {"capacity_range", "座位数不在这种车辆的合理范围内（专车5-65，专列100-2400，专机30-400）"},
    {"carriage_range", "每节车厢座位数应为20到150"},
    {"carriage_divides", "专列座位数应为每节车厢座位数的整数倍"},
    {"time_format", "时间格式应为 时:分，如 07:30"},
    {"stop_order", "上车点时间应按先后顺序，出发时间不早于最后一个上车点"},
    {"too_many", "数量太多"},
    {"below_used", "座位数不能少于已安排的人数"},
    {"has_passengers", "车上已安排了人，不能改车型、目的地或日期：请先把人移出，或取消这辆车（人会回到待安排）"},
    {"status_transition", "车辆状态不能这样改变"},
    {"conflict", "这辆车刚被别人修改过，请刷新后重试"},
    {"unknown_campaign", "找不到这个送工活动"},
    {"unknown_division", "找不到这个区划"},
    {"report_scope", "统计表按自治区或市填报，请选择自治区或一个市"},
    {"amount_format", "金额应为大于0的数字（万元，最多4位小数）"},
    {"match_busy", "有人正在为这个活动编排车辆，请稍后再试"},
    {"no_room", "这辆车没有足够的空座位"},
    {"not_matching", "目的地、日期或出行方式与这辆车不符"},
    {"not_assigned", "这个报名还没有安排车辆"},
    {"not_open", "这个报名已取消或已安排"},
    {"assigned", "这个报名已安排车辆，请先把人从车上移出再修改"},
    {"wrong_vehicle", "此人不在这辆车的名单上"},
    {"vehicle_closed", "这辆车已发车或已取消，不能再签到"},
    {"boarded", "已经上车签到，不能再取消、修改或调到别的车"},
    {"departed", "这趟车已经发车，不能再取消、修改或调到别的车"},
    {"no_stop", "这辆车没有为此人所在的村（或乡镇）设上车点：请先在方案里加一个上车点"},
    {"not_planned", "这辆车已开始上车、已发车或已取消，不能再调人进来"},
    {"changed", "这个报名刚被别人改过，请刷新后重试"},
    {"not_boarding", "只有“上车中”的车辆才能登记未到"},
    {"trip_not_set",
     "这辆车的发车时间或本村的上车点、上车时间还没定：定好后再通知本人（在此之前此人留在待通知名单里）"},
    {"outside_area", "车上有人所在的村不在改后的上车点范围内：请先把他们调出，或保留为他们设的上车点"},
    {"serves_scope", "上车点服务的乡镇或村不在这辆车所属的范围内"},
    {"min_load_range", "最低人数应在1到这种车的座位数之间"},
    {"area_enum", "上车片区应为按县、按乡镇或按村"},
    {"vehicle_boarded", "车上已有人签到，不能取消这辆车：车坏了可以改车牌和司机"},
    /* attempt limits and idempotency */
    {"rate_limited", "操作太频繁了，请过几分钟再试"},
    {"too_many_attempts", "试的次数太多了，请过一段时间再试。急用请找本村的工作人员帮忙查询"},
    {"idempotency_mismatch", "这个请求编号已经用于另一份报名，请刷新页面后重新提交"},
    {"login_busy", "正在登录的人太多，请稍后再试"},
    {"busy", "正在生成的文件太多，请过几秒再试"},
    {"too_many_streams", "打开的实时统计页面太多了，请关掉其他标签页后再刷新"},
    /* jobs (issue 17) */
    {"credit_length", "统一社会信用代码应为18位"},
    {"credit_chars", "统一社会信用代码含有不允许的字符（不用I、O、S、V、Z，第3到8位是数字）"},
    {"credit_check", "统一社会信用代码有误（校验位不对），请逐位核对营业执照"},
    {"credit_taken", "这个统一社会信用代码的企业已经登记过了"},
    {"work_enum", "请选择行业或工种"},
    {"wage_order", "最高工资不能低于最低工资"},
    {"age_order", "年龄上限不能小于下限"},
    {"sex_enum", "性别要求应为不限、男或女"},
    {"date_order", "截止日期不能早于开始日期"},
    {"status_enum", "状态应为招聘中或已截止"},
    {"unknown_employer", "找不到这家企业，请先登记企业"},
    {"unknown_job", "找不到这个岗位"},
    {"job_closed", "这个岗位已截止招聘，不能推送"},
    {"wechat_off", "没有配置微信公众号，请用相机扫码"},
    {"wechat_unavailable", "微信接口暂时连不上，请用相机扫码"},
};

/* "required" said for a choice: what to choose (the sign-up page shows these under its chips). */
static const struct {
    const char *field, *message;
} required_choices[] = {
    {"required:poverty", "请选择是不是脱贫人口"},       {"required:dest_city", "请选择要去的省份和城市"},
    {"required:job_confirmed", "请选择工作找好了没有"}, {"required:depart_date", "请选择哪天出发"},
    {"required:flex_days", "请选择可以提前或推后几天"}, {"required:mode", "请选择想坐什么车"},
};

/* The message for code of field ("companions[2].poverty" is a poverty). */
static const char *field_message(const char *field, const char *code)
{
    const char *dot = strrchr(field, '.'), *base = dot != NULL ? dot + 1 : field;
    if (strcmp(code, "required") != 0)
        return sg_message(code);
    for (size_t i = 0; i != sizeof(required_choices) / sizeof(required_choices[0]); ++i)
        if (strcmp(required_choices[i].field + sizeof("required:") - 1, base) == 0)
            return required_choices[i].message;
    return sg_message(code);
}

const char *sg_message(const char *code)
{
    for (size_t i = 0; i != sizeof(messages) / sizeof(messages[0]); ++i)
        if (strcmp(messages[i].code, code) == 0)
            return messages[i].message;
    return "请求有误";
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 500:
        return "Internal Server Error";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 423:
        return "Locked";
    case 429:
        return "Too Many Requests";
    case 401:
        return "Unauthorized";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return status < 400 ? "OK" : "Error";
    }
}

void sg_reply_json(h2o_req_t *req, int status, cJSON *json)
{
    char *text = cJSON_PrintUnformatted(json);
    cJSON_Delete(json);
    if (text == NULL)
        abort();
    sg_reply_json_text(req, status, text, strlen(text));
    cJSON_free(text);
}

void sg_reply_json_text(h2o_req_t *req, int status, const char *text, size_t len)
{
    h2o_iovec_t body = h2o_strdup(&req->pool, text, len);
    req->res.status = status;
    req->res.reason = reason(status);
    req->res.content_length = body.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("application/json; charset=utf-8"));
    if (h2o_find_header(&req->res.headers, H2O_TOKEN_CACHE_CONTROL, -1) == -1) /* reference data set its own */
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_send_inline(req, body.base, body.len);
}

void sg_reply_file(h2o_req_t *req, unsigned char *bytes, size_t len, const char *type, const char *filename)
{
    char disp[128];
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
    h2o_iovec_t body = h2o_strdup(&req->pool, (const char *)bytes, len);
    free(bytes);
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = body.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, strlen(type));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
    h2o_iovec_t dv = h2o_strdup(&req->pool, disp, strlen(disp));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_DISPOSITION, NULL, dv.base, dv.len);
    h2o_send_inline(req, body.base, body.len);
}

static void send_error(h2o_req_t *req, int status, const char *code, const char *field)
{
    cJSON *root = cJSON_CreateObject(), *err = cJSON_AddObjectToObject(root, "error");
    cJSON_AddStringToObject(err, "code", code);
    cJSON_AddStringToObject(err, "message", sg_message(code));
    if (field != NULL)
        cJSON_AddStringToObject(err, "field", field);
    sg_reply_json(req, status, root);
}

void sg_reply_error(h2o_req_t *req, int status, const char *code, const char *field)
{
    if (status >= 500)
        sg_log_error(req, status, code);
    send_error(req, status, code, field);
}

void sg_reply_invalid(h2o_req_t *req, const struct sg_field_errors *errs)
{
    cJSON *root = cJSON_CreateObject(), *err = cJSON_AddObjectToObject(root, "error");
    cJSON_AddStringToObject(err, "code", "invalid");
    cJSON_AddStringToObject(err, "message", "有些内容需要修改，请看标红的地方");
    cJSON *fields = cJSON_AddObjectToObject(err, "fields");
    for (size_t i = 0; i != errs->n; ++i)
        if (cJSON_GetObjectItemCaseSensitive(fields, errs->e[i].field) == NULL)
            cJSON_AddStringToObject(fields, errs->e[i].field, field_message(errs->e[i].field, errs->e[i].code));
    sg_reply_json(req, 422, root);
}

static const char *store_status_name(int status)
{
    switch (status) {
    case SG_ETIMEDOUT:
        return "store timeout";
    case SG_EUNAVAIL:
        return "store unavailable";
    case SG_EIO:
        return "store error";
    case SG_ENOMEM:
        return "out of memory";
    case SG_EINVAL:
        return "store refused the input";
    case SG_EEXIST:
        return "store: already exists";
    case SG_ECONFLICT:
        return "store: conflict";
    case SG_ELIMITED:
        return "store: limit reached";
    case SG_EREFUSED:
        return "store refused for now";
    case SG_ECANCELED:
        return "store: attempt settled as not stored";
    default:
        return "store: unexpected status";
    }
}

void sg_reply_store_error(h2o_req_t *req, int status)
{
    char cause[256];
    const char *said = sg_store_error_text();
    snprintf(cause, sizeof(cause), "%s (%d)%s%s", store_status_name(status), status, said[0] != '\0' ? ": " : "", said);
    if (status == SG_ENOENT)
        sg_reply_error(req, 404, "not_found", NULL);
    else if (status == SG_ETIMEDOUT)
        sg_reply_5xx(req, 504, "timeout", cause);
    else if (status == SG_EUNAVAIL || status == SG_EREFUSED)
        sg_reply_5xx(req, 503, "unavailable", cause);
    else
        sg_reply_5xx(req, 500, "internal", cause);
}

/* Copy s into out (size bytes) with every run of 7 or more digits masked: an ID or phone
 * number must never reach a log, whatever a cause quotes. */
static void mask_digit_runs(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; s[i] != '\0' && n + 1 < size;) {
        size_t run = strspn(s + i, "0123456789Xx");
        if (run >= 7) {
            for (size_t k = 0; k != run && n + 1 < size; ++k)
                out[n++] = '#';
            i += run;
        } else if (run > 0) {
            for (size_t k = 0; k != run && n + 1 < size; ++k)
                out[n++] = s[i + k];
            i += run;
        } else {
            out[n++] = s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
            ++i;
        }
    }
    out[n] = '\0';
}

void sg_log_error(h2o_req_t *req, int status, const char *cause)
{
    char path[128], clean[320], line[600], at[32];
    size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
    snprintf(path, sizeof(path), "%.*s", (int)(plen < 120 ? plen : 120), req->path.base);
    mask_digit_runs(path, clean, sizeof(path));
    memcpy(path, clean, sizeof(path));
    mask_digit_runs(cause != NULL ? cause : "(no cause given)", clean, sizeof(clean));
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    int n = snprintf(line, sizeof(line), "songgong: %s error %d %.*s %s: %s\n", at, status, (int)req->method.len,
                     req->method.base, path, clean);
    if (n > 0)
        (void)!write(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1); /* one write: lines never mix */
    h2o_req_log_error(req, "songgong", "%d %s", status, clean); /* for h2o's own access log (%{error}x) */
}

void sg_reply_5xx(h2o_req_t *req, int status, const char *code, const char *cause)
{
    sg_log_error(req, status, cause);
    send_error(req, status, code, NULL);
}

int sg_reply_method_not_allowed(h2o_req_t *req, const char *allow)
{
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ALLOW, NULL, allow, strlen(allow));
    sg_reply_error(req, 405, "method_not_allowed", NULL);
    return 0;
}

void sg_reply_busy(h2o_req_t *req)
{
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_RETRY_AFTER, NULL, H2O_STRLIT("5"));
    sg_reply_5xx(req, 503, "busy", "the drawing queue is full (SG_OFFLOAD_QUEUE jobs wait)");
}
