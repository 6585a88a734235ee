// SPDX-License-Identifier: MIT
// The audit log for admins: who did what, when, from where; newest first, by pages.
import { get } from './api.js';
import { fill, h, localTime } from './dom.js';

const ACTIONS = { login: '登录', login_failed: '登录失败', login_locked: '账号锁定', logout: '退出', edit: '修改报名', cancel: '取消报名', export: '导出', export_full: '导出完整名单', returns: '填报返乡数据', entry: '当面登记', flag_checked: '核对地区码', user_add: '新增账号', user_disable: '停用账号' };

export async function showAudit(view, before) {
    const r = await get(`/api/audit?count=50${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    const last = r.entries.at(-1);
    fill(
        view,
        h('h1', {}, '操作记录'),
        h('div', { class: 'card' }, h('div', { class: 'scroll' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['时间', '用户', '操作', '对象', '地址', '说明'].map((t) => h('th', {}, t)))), h('tbody', {}, r.entries.map((e) => h('tr', { class: e.action.includes('failed') || e.action === 'export_full' ? 'row-warn' : '' }, h('td', {}, localTime(e.at)), h('td', {}, e.user), h('td', {}, ACTIONS[e.action] || e.action), h('td', { class: 'mono' }, e.target), h('td', { class: 'mono' }, e.address), h('td', {}, e.detail)))))),
            h('div', { class: 'pager' }, before ? h('a', { href: '#/audit' }, '« 最新') : null, r.entries.length === 50 && last ? h('a', { href: `#/audit/${last.id}` }, '更早 ›') : null),
        ),
    );
}
