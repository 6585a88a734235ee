// SPDX-License-Identifier: MIT
// What the escort's phone remembers: the vehicle whose boarding view it opened last, for
// half a day. The check-in page sends it along, so that a passenger of another vehicle is
// refused and named rather than checked in on the wrong one.
const KEY = 'sg.boarding';
const KEEP_MS = 12 * 3600 * 1000;

export function rememberBoarding(id, label) {
    try {
        localStorage.setItem(KEY, JSON.stringify({ id: String(id), label, at: Date.now() }));
    } catch {
        // storage full or refused (private mode): the check-in then goes without it
    }
}

/** {id, label} or null. */
export function boardingVehicle() {
    try {
        const v = JSON.parse(localStorage.getItem(KEY) || 'null');
        if (v && /^[0-9]{1,15}$/.test(v.id) && Date.now() - v.at < KEEP_MS) return { id: v.id, label: String(v.label || '') };
    } catch {
        // not ours or unreadable: as if nothing was kept
    }
    return null;
}
