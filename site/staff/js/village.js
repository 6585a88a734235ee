// SPDX-License-Identifier: MIT
// Choosing a village of the user's scope by name: a township's villages as one list to
// tap; above a township, type part of a village's (or township's) name and tap one of the
// matches (GET /api/divisions/{scope}?q=, at most 30). The chosen code is in the hidden
// input named name; the field shows the staff's error messages next to it.
import { get } from './api.js';
import { fill, h } from './dom.js';
import { division } from './places.js';

/**
 * A field for picking a village under scope. value: a village chosen before (kept for the
 * next entry). Returns {el, value(), mark(message)}; onChange(code) after each choice.
 */
export function villagePicker({ scope, value = '', onChange = () => {} }) {
    const hidden = h('input', { type: 'hidden', name: 'village', value });
    const chosen = h('p', { class: 'chosen', hidden: true });
    const search = h('input', { type: 'search', placeholder: scope.length === 9 ? '' : '输入村名或乡镇名，如：官桥', 'aria-label': '查找村', autocomplete: 'off' });
    const list = h('ul', { class: 'picks', role: 'listbox', 'aria-label': '村' });
    const more = h('p', { class: 'hint' });
    const error = h('span', { class: 'error' });
    const box = h('div', { class: 'field village-field', 'data-field': 'village' }, h('span', { class: 'field-label' }, '所在村'), chosen, search, list, more, error);
    let timer = null;
    let asked = 0;

    const mark = (message) => {
        box.classList.toggle('bad', !!message);
        error.textContent = message || '';
    };
    const choose = (v) => {
        hidden.value = v.code;
        fill(chosen, h('b', {}, v.name), v.where ? h('span', { class: 'muted' }, ` ${v.where}`) : null, ' ', h('button', { type: 'button', class: 'link small-target', onclick: reopen }, '换一个村'));
        chosen.hidden = false;
        search.hidden = true;
        fill(list);
        more.textContent = '';
        mark('');
        onChange(v.code);
    };
    const option = (v) => h('li', {}, h('button', { type: 'button', class: 'pick', role: 'option', onclick: () => choose(v) }, h('b', {}, v.name), v.where ? h('span', { class: 'muted' }, ` ${v.where}`) : null));
    const show = (villages, hasMore, q) => {
        fill(list, villages.map(option));
        more.textContent = !villages.length && q ? `没有找到名字里有“${q}”的村，换几个字试试` : hasMore ? '还有更多，请多输入几个字' : '';
    };
    async function find() {
        const q = search.value.trim();
        const mine = ++asked;
        if (!q) return show([], false, '');
        const r = await get(`/api/divisions/${encodeURIComponent(scope)}?q=${encodeURIComponent(q)}`).catch(() => null);
        if (mine === asked && r) show(r.villages, r.more, q);
    }
    async function reopen() {
        hidden.value = '';
        chosen.hidden = true;
        search.hidden = scope.length === 9;
        onChange('');
        if (scope.length === 9) {
            // a township's villages (about 13): all of them at once
            const t = await division(scope);
            show(t.children.map((c) => ({ code: c.code, name: c.name })), false, '');
        } else {
            search.focus();
        }
    }
    search.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(find, 150);
    });
    search.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') {
            ev.preventDefault(); // the first match, not the form's submit
            list.querySelector('button')?.click();
        }
    });
    (async () => {
        if (value) {
            const d = await division(value).catch(() => null);
            if (d && d.level === 'village') {
                const below = d.path.filter((p) => p.code.length > scope.length && p.code.length < 12).map((p) => p.name).join(' ');
                return choose({ code: value, name: d.name, where: below });
            }
        }
        await reopen();
    })().catch(() => mark('村名读取失败，请刷新页面'));
    return { el: box, hidden, value: () => hidden.value, mark };
}
