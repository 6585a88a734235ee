// SPDX-License-Identifier: MIT
// SG.check: the sign-up rules of backend/domain (registration.c, idno.c, text.c, date.c)
// again in the page, so that a mistake shows next to its field before anything is sent.
// Pure functions, no DOM: tests/unit/site runs them in node. The messages are the
// server's (backend/http/core/reply.c); the unit test checks that both say the same.
(function (SG) {
    'use strict';

    var MSG = {
        required: '此项必须填写',
        chars: '含有不允许的字符（姓名只能用汉字、字母和间隔号·）',
        employer_chars: '单位名称里有不能用的字符（如换行或看不见的控制符），请重新输入',
        too_short: '太短了，请填写完整',
        too_long: '太长了，请精简',
        idno_legacy15: '这是15位旧身份证号，请填写18位新身份证号',
        idno_length: '身份证号应为18位',
        idno_chars: '身份证号应为17位数字加最后一位数字或X',
        idno_date: '身份证号里的出生日期不对，请核对',
        idno_future: '身份证号里的出生日期晚于今天，请核对',
        idno_check: '身份证号最后一位不对，请再核对一遍',
        phone_format: '手机号应为11位，以1开头',
        unknown_city: '请选择目的地城市',
        date_format: '日期格式应为 年-月-日',
        date_window: '出发日期不在本次送工活动时间内',
        date_past: '出发日期不能早于今天',
        flex_range: '可提前或推后的天数应为0到3天',
        mode_enum: '请选择出行方式',
        poverty_enum: '请选择是否脱贫人口',
        too_many_companions: '同行人最多9人',
        consent_required: '请阅读并勾选同意个人信息使用说明',
        duplicate_in_request: '同一个身份证号填了两次'
    };
    // "required" of a choice says what to choose (backend/http/core/reply.c, required_choices)
    var REQUIRED = {
        poverty: '请选择是不是脱贫人口',
        dest_city: '请选择要去的省份和城市',
        job_confirmed: '请选择工作找好了没有',
        depart_date: '请选择哪天出发',
        flex_days: '请选择可以提前或推后几天',
        mode: '请选择想坐什么车'
    };
    var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    var MAX_COMPANIONS = 9;
    var EMPLOYER_MAX = 60;

    function isSpace(c) {
        return c === ' ' || c === '\u00a0' || c === '\u3000';
    }

    // "YYYY-MM-DD" to {y, m, d} when it is a real date from 1900 on, else null.
    function parseDate(s) {
        var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
        if (!m) return null;
        var y = +m[1], mo = +m[2], d = +m[3];
        if (y < 1900 || mo < 1 || mo > 12 || d < 1) return null;
        var days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        return d <= days[mo - 1] ? { y: y, m: mo, d: d } : null;
    }

    function pad(n) {
        return (n < 10 ? '0' : '') + n;
    }

    // The phone's own date as "YYYY-MM-DD" (used only when the server's is unknown).
    function localToday() {
        var t = new Date();
        return t.getFullYear() + '-' + pad(t.getMonth() + 1) + '-' + pad(t.getDate());
    }

    function checkChar(first17) {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
        return '10X98765432'.charAt(sum % 11);
    }

    // An ID number with every space removed and x made X.
    function idnoClean(s) {
        return String(s || '').replace(/[\s\u3000]+/g, '').replace(/x$/, 'X');
    }

    // GB 11643-1999. Returns {code} on error, else {number, birth, sex: 1 male / 2 female}.
    function idno(s, today) {
        var n = idnoClean(s);
        if (n === '') return { code: 'required' };
        if (/^\d{15}$/.test(n)) return { code: 'idno_legacy15' };
        if (n.length !== 18) return { code: 'idno_length' };
        if (!/^\d{17}[\dX]$/.test(n)) return { code: 'idno_chars' };
        var birth = n.substr(6, 4) + '-' + n.substr(10, 2) + '-' + n.substr(12, 2);
        if (!parseDate(birth)) return { code: 'idno_date' };
        if (birth > (today || localToday())) return { code: 'idno_future' };
        if (checkChar(n) !== n.charAt(17)) return { code: 'idno_check' };
        return { number: n, birth: birth, sex: (n.charCodeAt(16) - 48) % 2 === 1 ? 1 : 2 };
    }

    // Mobile number: spaces and dashes dropped, +86 / 86 allowed. {code} or {number}.
    function phone(s) {
        var p = String(s || '').replace(/[ \-]/g, '');
        if (p === '') return { code: 'required' };
        if (p.length === 14 && p.indexOf('+86') === 0) p = p.substr(3);
        else if (p.length === 13 && p.indexOf('86') === 0) p = p.substr(2);
        return /^1[3-9]\d{9}$/.test(p) ? { number: p } : { code: 'phone_format' };
    }

    function isLatin(cp) {
        if ((cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122)) return true;
        if (cp >= 0xc0 && cp <= 0xff) return cp !== 0xd7 && cp !== 0xf7;
        return cp >= 0x100 && cp <= 0x17f;
    }

    function isIdeograph(cp) {
        return (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
            (cp >= 0x20000 && cp <= 0x2fa1f);
    }

    var DOTS = { 0x2022: 1, 0x2027: 1, 0x30fb: 1, 0xff0e: 1, 0x2e31: 1, 0xb7: 1 };

    // Names: Chinese characters, Latin letters, a middle dot between two letters, 2-30
    // characters; spaces are dropped except between two Latin letters. {code} or {name}.
    function name(s) {
        var out = '', prev = 0, space = false, count = 0;
        var chars = Array.from ? Array.from(String(s || '')) : String(s || '').split('');
        for (var i = 0; i < chars.length; i++) {
            var ch = chars[i], cp = ch.codePointAt ? ch.codePointAt(0) : ch.charCodeAt(0);
            if (isSpace(ch)) {
                space = true;
                continue;
            }
            if (DOTS[cp]) {
                if (prev === 0 || prev === 0xb7) return { code: 'chars' };
                cp = 0xb7;
                ch = '\u00b7';
            } else if (!isLatin(cp) && !isIdeograph(cp)) {
                return { code: 'chars' };
            }
            if (space && isLatin(prev) && isLatin(cp)) {
                out += ' ';
                count++;
            }
            space = false;
            out += ch;
            count++;
            prev = cp;
        }
        if (prev === 0xb7) return { code: 'chars' };
        if (count === 0) return { code: 'required' };
        if (count < 2) return { code: 'too_short' };
        if (count > 30) return { code: 'too_long' };
        return { name: out };
    }

    function employer(s) {
        var t = String(s || '').replace(/^[ \u00a0\u3000]+|[ \u00a0\u3000]+$/g, '');
        if (/[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/.test(t)) return { code: 'employer_chars' };
        return (Array.from ? Array.from(t).length : t.length) > EMPLOYER_MAX ? { code: 'too_long' } : { text: t };
    }

    // ctx: {today, starts, ends} as "YYYY-MM-DD" (starts/ends may be missing).
    function departDate(s, ctx) {
        if (!s) return 'required';
        if (!parseDate(s)) return 'date_format';
        if (s < ctx.today) return 'date_past';
        if ((ctx.starts && s < ctx.starts) || (ctx.ends && s > ctx.ends)) return 'date_window';
        return null;
    }

    // A number staff see masked ("450102********123X", "138****5678") and send back as it
    // was: the server puts the stored one back before it checks (registration_edit.c).
    function isMasked(s) {
        return String(s || '').indexOf('*') >= 0;
    }

    // Every bad field of a sign-up body as {field: message}, named as the server names
    // them (companions[2].id_number). Empty when the server should accept it.
    // ctx: {today, starts, ends} (see departDate) and what the server allows staff only:
    //   workerPhoneOptional: staff enter a worker who has no phone (the server's
    //     worker_phone_optional, on face-to-face entries and edits);
    //   keepMasked: an edit; a masked number means "keep the stored one", not checked here.
    function registration(b, ctx) {
        var errs = {}, seen = {};
        function add(field, code) {
            var base = field.replace(/^companions\[\d+\]\./, '');
            if (!errs[field]) errs[field] = (code === 'required' && REQUIRED[base]) || MSG[code] || code;
        }
        var kept = function (s) {
            return !!ctx.keepMasked && isMasked(s);
        };
        var people = [b].concat(b.companions || []);
        if (people.length - 1 > MAX_COMPANIONS) add('companions', 'too_many_companions');
        for (var i = 0; i < people.length && i <= MAX_COMPANIONS; i++) {
            var p = people[i], pre = i === 0 ? '' : 'companions[' + (i - 1) + '].';
            var r = name(p.name);
            if (r.code) add(pre + 'name', r.code);
            r = kept(p.id_number) ? {} : idno(p.id_number, ctx.today);
            if (r.code) add(pre + 'id_number', r.code);
            else if (r.number && seen[r.number]) add(pre + 'id_number', 'duplicate_in_request');
            else if (r.number) seen[r.number] = true;
            var phoneNeeded = i === 0 && !ctx.workerPhoneOptional;
            if (!kept(p.phone) && (phoneNeeded || (p.phone || '').trim() !== '')) {
                r = phone(p.phone);
                if (r.code) add(pre + 'phone', r.code);
            }
            // a companion's too: the server takes none for a missing one (older pages), but a
            // guessed "不是" undercounts the report's column 6, so the pages ask every time
            if (!p.poverty) add(pre + 'poverty', 'required');
            else if (p.poverty && !/^(none|alleviated|monitored)$/.test(p.poverty)) add(pre + 'poverty', 'poverty_enum');
        }
        if (!b.dest_city) add('dest_city', 'required');
        else if (!/^\d{4}$/.test(b.dest_city)) add('dest_city', 'unknown_city');
        r = employer(b.employer);
        if (r.code) add('employer', r.code);
        if (b.job_confirmed !== true && b.job_confirmed !== false) add('job_confirmed', 'required');
        var d = departDate(b.depart_date, ctx);
        if (d) add('depart_date', d);
        if (b.flex_days === null || b.flex_days === undefined || b.flex_days === '') add('flex_days', 'required');
        else if (!(b.flex_days >= 0 && b.flex_days <= 3)) add('flex_days', 'flex_range');
        if (!b.mode) add('mode', 'required');
        else if (!/^(any|bus|train|flight)$/.test(b.mode)) add('mode', 'mode_enum');
        if (b.consent !== true) add('consent', 'consent_required');
        return errs;
    }

    SG.check = {
        messages: MSG,
        requiredChoices: REQUIRED,
        maxCompanions: MAX_COMPANIONS,
        parseDate: parseDate,
        localToday: localToday,
        checkChar: checkChar,
        idnoClean: idnoClean,
        idno: idno,
        phone: phone,
        name: name,
        employer: employer,
        departDate: departDate,
        registration: registration
    };
})(window.SG = window.SG || {});
