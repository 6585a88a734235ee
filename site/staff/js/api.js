// SPDX-License-Identifier: MIT
// Talking to the server: the session cookie goes by itself; state-changing requests carry
// the CSRF token from /api/me. Errors come back as {status, code, message, fields}.
let csrf = '';

export function setCsrf(token) {
    csrf = token || '';
}

export class ApiError extends Error {
    constructor(status, body) {
        const e = body?.error || {};
        super(e.message || `出错了（${status}）`);
        this.status = status;
        this.code = e.code || 'http';
        this.fields = e.fields || {};
        this.field = e.field;
        this.error = e; // the whole error object: some carry more (a check-in's wrong vehicle names the right one)
    }
}

export async function api(method, path, body, extra = {}) {
    const headers = { Accept: 'application/json', ...extra };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
        res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    } catch {
        throw new ApiError(0, { error: { code: 'network', message: '网络连接不上，请检查网络后重试' } });
    }
    const text = await res.text();
    let json;
    try {
        json = text ? JSON.parse(text) : {};
    } catch {
        json = {};
    }
    if (!res.ok) throw new ApiError(res.status, json);
    return json;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** A fresh Idempotency-Key: one per form filled, sent again with every retry of that form. */
export function newIdempotencyKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return 'staff-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
