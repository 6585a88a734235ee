// SPDX-License-Identifier: MIT
// The audit log for admins: who did what, when, from where; newest first, by pages. The
// server keeps each entry's action and detail as short codes (the command line prints
// them as they are); here every action has its Chinese name and each detail is told in
// words (describe), the raw text kept as the cell's title.
import { get } from './api.js';
import { fill, h, localTime } from './dom.js';

export const ACTIONS = {
    login: '登录', login_failed: '登录失败', login_locked: '账号锁定', logout: '退出登录',
    edit: '修改报名', cancel: '取消报名', flag_checked: '核对地区码', enter: '当面登记', entry: '当面登记',
    export: '导出名单', export_full: '导出完整名单（含身份证号）', returns: '填报返乡数据',
    funding: '录入资金投入', report_file: '报送统计表',
    manifest: '查看乘车名单', manifest_full: '导出完整乘车名单（含身份证号）',
    passenger_move: '调整乘客车辆', passenger_remove: '把乘客移出车辆',
    vehicle_create: '新建车辆', vehicle_edit: '修改车辆方案', boarding_view: '查看上车名单（含完整手机号）',
    checkin: '上车签到', match_accept: '确认编排', user_add: '新增账号', user_disable: '停用账号',
    employer_create: '新增用工单位', employer_edit: '修改用工单位', job_create: '发布岗位', job_edit: '修改岗位',
    push: '岗位推送', notify_retry: '重发短信',
    phone_view: '查看完整手机号（拨打）', notified: '标记已通知', unnotified: '取消已通知', no_show: '登记未到',
};

const FORMATS = { json: '网页', csv: 'CSV', xlsx: 'Excel', pdf: 'PDF' };
const MODES = { any: '都可以', bus: '专车', train: '专列', flight: '专机' };
const POVERTY = { none: '否', alleviated: '脱贫人口', monitored: '监测对象' };
const ROLES = { village: '村级', township: '乡镇级', county: '县级', city: '市级', organiser: '组织方', admin: '管理员' };
const FIELDS = { village: '村', dest_city: '目的地', depart_date: '出发日期', flex_days: '可调整天数', mode: '出行方式', employer: '用工单位', name: '姓名', id_number: '身份证号', phone: '手机', poverty: '脱贫' };
const OUTCOME = { aborted: '（中断）', 'client gone': '（下载中断）', failed: '（失败）' };

const date = (s) => s.replace(/(\d{4})-(\d\d)-(\d\d)/g, (_, y, m, d) => `${y}年${Number(m)}月${Number(d)}日`);

/** An edit's changes (staff_edit.c): "depart_date 2027-02-03 -> 2027-02-20; people[1].poverty -> alleviated". */
function changes(detail) {
    return detail.split(/;\s*/).filter(Boolean).map((part) => {
        if (part === 'no change') return '没有改动';
        return date(part)
            .replace(/\b(village|dest_city|depart_date|flex_days|mode|employer|name|id_number|phone|poverty)\b/g, (w) => FIELDS[w])
            .replace(/出行方式 -> (\w+)/, (_, m) => `出行方式 -> ${MODES[m] || m}`)
            .replace(/脱贫 -> (\w+)/, (_, p) => `脱贫 -> ${POVERTY[p] || p}`)
            .replace(/\bremoved\b/, '删除').replace(/\badded\b/, '新增')
            .replace(/people\[(\d+)\]\.\s?/g, (_, i) => (Number(i) === 0 ? '本人' : `同行人${i}`))
            .replace(/ -> /g, ' 改为 ');
    }).join('；');
}

/** An export's detail: "csv campaign=… q=… status=… dest_city=… date=… rows=12[ aborted]". */
function exportDetail(detail) {
    const [format] = detail.split(' ');
    const kv = Object.fromEntries([...detail.matchAll(/(\w+)=(\S*)/g)].map((m) => [m[1], m[2]]));
    const outcome = Object.entries(OUTCOME).find(([k]) => detail.endsWith(` ${k}`))?.[1] || '';
    const filters = [kv.q && `搜索“${kv.q}”`, kv.status && `状态 ${kv.status}`, kv.dest_city && `目的地 ${kv.dest_city}`, kv.date && `出发 ${date(kv.date)}`].filter(Boolean);
    return `${FORMATS[format] || format}，${kv.rows ?? '?'}行${filters.length ? `（${filters.join('，')}）` : ''}${outcome}`;
}

/** The detail of entry e in words ('' when there is none). */
export function describe(e) {
    const d = e.detail || '';
    let m;
    switch (e.action) {
    case 'export':
    case 'export_full':
        return exportDetail(d);
    case 'manifest':
    case 'manifest_full':
        return (m = /^(\w+), (\d+) registrations$/.exec(d)) ? `${FORMATS[m[1]] || m[1]}，${m[2]}份报名` : d;
    case 'checkin':
        return (m = /^(\d+)( by code)?$/.exec(d)) ? `${m[1]}号车${m[2] ? '，在名单上点签到' : '，扫码签到'}` : d;
    case 'returns':
        return (m = /^(\d+)\/(\d+)\/(\d+) as of (\S+)(.*)$/.exec(d)) ? `外出${m[1]}、返乡${m[2]}、未返乡${m[3]}，截至${date(m[4])}${m[5] ? '（数字对不上）' : ''}` : d;
    case 'funding':
        return (m = /^(-?\d+) yuan, (.*)$/.exec(d)) ? `${(Number(m[1]) / 10000).toLocaleString('zh-CN', { maximumFractionDigits: 4 })}万元，${m[2]}` : d;
    case 'report_file':
        return (m = /^filing (\d+), until (\S+)$/.exec(d)) ? `存档编号${m[1]}，统计截至${date(m[2])}` : d;
    case 'match_accept':
        return (m = /^assigned (\d+) registrations \((\d+) people\), (\d+) new vehicles, (\d+) skipped$/.exec(d))
            ? `编入${m[1]}份报名（${m[2]}人），新建${m[3]}辆车，${m[4]}份没有编入` : d;
    case 'boarding_view':
        return (m = /^full phones of (\d+) missing groups$/.exec(d)) ? `还没上车的${m[1]}组的完整手机号` : d;
    case 'edit':
        return changes(d);
    case 'enter':
    case 'entry':
    case 'cancel':
    case 'flag_checked':
        return /^\d{12}$/.test(d) ? `村 ${d}` : d;
    case 'vehicle_create':
    case 'vehicle_edit':
        return /^\d+$/.test(d) ? `范围 ${d}` : d;
    case 'user_add':
        return ROLES[d] || d;
    case 'employer_create':
    case 'employer_edit':
        return /^[0-9A-Z]{18}$/.test(d) ? `统一社会信用代码 ${d}` : d;
    case 'push':
        return (m = /^people (\d+) jobs (\S+) filter /.exec(d)) ? `推送给${m[1]}人，岗位编号 ${m[2].replace(/,/g, '、')}` : d;
    case 'phone_view':
        return (m = /^person (\d+) (\S+)$/.exec(d)) ? `${Number(m[1]) === 0 ? '本人' : `同行人${m[1]}`} ${m[2]}` : d;
    case 'notified':
    case 'unnotified':
    case 'no_show':
        return (m = /^vehicle (\d+)$/.exec(d)) ? `${m[1]}号车` : d;
    case 'notify_retry':
        return /^\d{12}$/.test(d) ? `村 ${d}` : d;
    default:
        return d;
    }
}

/** Who: a staff account, or the command line on the server ("cli:NAME" as songgong writes it). */
export const who = (user) => (/^cli:/.test(user) ? `服务器命令行${user.slice(4) && user.slice(4) !== '?' ? `（${user.slice(4)}）` : ''}` : user);
const where = (address) => (address === 'local' ? '服务器本机' : address);

export async function showAudit(view, before) {
    const r = await get(`/api/audit?count=50${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    const last = r.entries.at(-1);
    fill(
        view,
        h('h1', {}, '操作记录'),
        h('div', { class: 'card' }, h('div', { class: 'scroll wide' }, h('table', { class: 'grid audit' }, h('thead', {}, h('tr', {}, ['时间', '用户', '操作', '对象', '地址', '说明'].map((t) => h('th', {}, t)))), h('tbody', {}, r.entries.map((e) => h('tr', { class: e.action.includes('failed') || e.action.includes('_full') || e.action === 'login_locked' ? 'row-warn' : '' }, h('td', {}, localTime(e.at)), h('td', {}, who(e.user)), h('td', {}, ACTIONS[e.action] || `其他操作（${e.action}）`), h('td', { class: 'mono' }, e.target), h('td', { class: 'mono' }, where(e.address)), h('td', { title: e.detail || null }, describe(e))))))),
            h('div', { class: 'pager' }, before ? h('a', { href: '#/audit' }, '« 最新') : null, r.entries.length === 50 && last ? h('a', { href: `#/audit/${last.id}` }, '更早 ›') : null),
        ),
    );
}
