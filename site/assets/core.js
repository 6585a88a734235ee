// SPDX-License-Identifier: MIT
// SG core for both pages: the JSON API over fetch (status 0 = no answer), localStorage
// that never throws (private mode, full disk), and field errors shown next to their
// fields. Every page element that can carry an error has data-field="<API field name>"
// and an empty .err inside.
(function (SG) {
    'use strict';

    SG.$ = function (sel, root) {
        return (root || document).querySelector(sel);
    };
    SG.$$ = function (sel, root) {
        return Array.prototype.slice.call((root || document).querySelectorAll(sel));
    };

    // An element with attributes and children (strings become text, never HTML).
    SG.el = function (tag, attrs, children) {
        var e = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (k) {
            if (k === 'text') e.textContent = attrs[k];
            else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) e.setAttribute(k, attrs[k]);
        });
        (children || []).forEach(function (c) {
            if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
        });
        return e;
    };

    SG.show = function (e, on) {
        if (e) e.hidden = !on;
    };

    // fetch with a time limit. Resolves {status, json}; status 0 when no answer came
    // (offline, cut connection, timeout). Never rejects.
    SG.api = function (method, path, body, headers, timeoutMs) {
        var opts = { method: method, headers: headers || {}, credentials: 'same-origin', cache: 'no-store' };
        if (body !== undefined) {
            opts.headers['Content-Type'] = 'application/json';
            opts.body = JSON.stringify(body);
        }
        var ctl = window.AbortController ? new AbortController() : null, timer = null;
        if (ctl) {
            opts.signal = ctl.signal;
            timer = setTimeout(function () {
                ctl.abort();
            }, timeoutMs || 20000);
        }
        return fetch(path, opts)
            .then(function (res) {
                return res.text().then(function (text) {
                    var json = null;
                    try {
                        json = JSON.parse(text);
                    } catch (e) {
                        json = null;
                    }
                    return { status: res.status, json: json };
                });
            })
            .catch(function () {
                return { status: 0, json: null };
            })
            .then(function (r) {
                clearTimeout(timer);
                return r;
            });
    };

    SG.store = {
        get: function (key) {
            try {
                var v = window.localStorage.getItem(key);
                return v ? JSON.parse(v) : null;
            } catch (e) {
                return null;
            }
        },
        set: function (key, value) {
            try {
                window.localStorage.setItem(key, JSON.stringify(value));
                return true;
            } catch (e) {
                return false;
            }
        },
        remove: function (key) {
            try {
                window.localStorage.removeItem(key);
            } catch (e) {
                /* nothing kept, nothing to remove */
            }
        }
    };

    // A random key of 22 URL-safe characters (the server takes 8-64 of [A-Za-z0-9_-]).
    SG.randomKey = function () {
        var abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', out = '', bytes = new Uint8Array(22);
        if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
        else for (var j = 0; j < bytes.length; j++) bytes[j] = Math.floor(Math.random() * 256);
        for (var i = 0; i < bytes.length; i++) out += abc.charAt(bytes[i] & 63);
        return out;
    };

    // Put each message next to its field; returns the messages no field took.
    SG.showErrors = function (root, errors) {
        var left = [];
        SG.$$('[data-field]', root).forEach(function (box) {
            SG.fieldError(box, errors[box.getAttribute('data-field')]);
        });
        Object.keys(errors).forEach(function (f) {
            if (!SG.$('[data-field="' + f + '"]', root)) left.push(errors[f]);
        });
        return left;
    };

    // One field's message (none when msg is empty).
    SG.fieldError = function (box, msg) {
        var err = SG.$('.err', box);
        box.classList.toggle('bad', !!msg);
        if (err) err.textContent = msg || '';
        SG.$$('input, select', box).forEach(function (i) {
            if (msg) i.setAttribute('aria-invalid', 'true');
            else i.removeAttribute('aria-invalid');
        });
    };

    // "2027-02-03" as "2027年2月3日".
    SG.dateText = function (s) {
        var d = SG.check.parseDate(s);
        return d ? d.y + '年' + d.m + '月' + d.d + '日' : s || '';
    };

    // The code in two groups of four, easier to read aloud and copy: "7KQ2 M9XA".
    SG.codeText = function (code) {
        return String(code || '').replace(/^(.{4})(.{4})$/, '$1 $2');
    };

    SG.MODES = { any: '都可以', bus: '汽车', train: '火车', flight: '飞机' };
    SG.POVERTY = { none: '不是', alleviated: '脱贫人口', monitored: '防返贫监测对象' };
})(window.SG = window.SG || {});
