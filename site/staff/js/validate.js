// SPDX-License-Identifier: MIT
// The sign-up form's checks, as the server makes them (backend/domain): a quick answer
// for staff; the server still decides.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

export function idNumberError(raw, today) {
    const id = (raw || '').trim().toUpperCase();
    if (!id) return '此项必须填写';
    if (/^\d{15}$/.test(id)) return '这是15位旧身份证号，请填写18位新身份证号';
    if (id.length !== 18) return '身份证号应为18位';
    if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为17位数字加最后一位数字或X';
    const y = +id.slice(6, 10), m = +id.slice(10, 12), d = +id.slice(12, 14);
    const date = new Date(Date.UTC(y, m - 1, d));
    if (y < 1900 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return '身份证号里的出生日期不对，请核对';
    if (id.slice(6, 14) > today.replaceAll('-', '')) return '身份证号里的出生日期晚于今天，请核对';
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(id[i]) * WEIGHTS[i];
    if ('10X98765432'[sum % 11] !== id[17]) return '身份证号有误（校验位不对），请逐位核对';
    return '';
}

export function phoneError(raw, required) {
    const p = (raw || '').trim();
    if (!p) return required ? '此项必须填写' : '';
    return /^1[3-9]\d{9}$/.test(p) ? '' : '手机号应为11位，以1开头';
}

export function nameError(raw) {
    const n = (raw || '').trim();
    if (!n) return '此项必须填写';
    if ([...n].length < 2) return '太短了，请填写完整';
    if ([...n].length > 20) return '太长了，请精简';
    return /^[\p{Script=Han}A-Za-z·•]+$/u.test(n) ? '' : '含有不允许的字符（姓名只能用汉字、字母和间隔号·）';
}
