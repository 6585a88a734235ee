// SPDX-License-Identifier: MIT
// Where to go after logging in: /staff/?next=PATH. A scanned check-in link opened where no
// one is logged in (WeChat's own browser keeps its own cookies) comes back to itself this
// way. Only a path of the staff pages on this server is followed: never another host
// (//evil.example, https://…, /\evil.example), never a script URL, never outside /staff/.
const PREFIX = '/staff/';

/** The path (with query and hash) to go to, or null when raw is not one of ours. No imports: tests load it alone. */
export function safeNext(raw, origin) {
    if (typeof raw !== 'string' || raw.length > 512 || !raw.startsWith(PREFIX)) return null;
    if (/[\\\u0000-\u001f\u007f]/.test(raw)) return null; // a backslash reads as a slash: /staff/\\x is //x somewhere
    let url;
    try {
        url = new URL(raw, origin);
    } catch {
        return null;
    }
    if (url.origin !== origin || !url.pathname.startsWith(PREFIX)) return null; // /staff/../x leaves the staff pages
    return url.pathname + url.search + url.hash;
}

/** The login page that comes back to path (this page by default) once logged in. */
export function loginUrl(path = location.pathname + location.search + location.hash) {
    return `${PREFIX}?next=${encodeURIComponent(path)}`;
}

/** The validated ?next= of this page, or null. */
export function nextFromHere() {
    return safeNext(new URLSearchParams(location.search).get('next'), location.origin);
}
