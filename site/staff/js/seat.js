// SPDX-License-Identifier: MIT
// Seats as people read them. A train's seats run through the carriages: seat 41 with 20
// seats a carriage is carriage 3, seat 1 (the server's sg_vehicle_train_seat).

/** [carriage, seat in it] of running seat s; carriage 0 when the vehicle has none. */
export function trainSeat(carriageSize, s) {
    return carriageSize ? [Math.floor((s - 1) / carriageSize) + 1, ((s - 1) % carriageSize) + 1] : [0, s];
}

/** One person of a check-in answer: 5座, or on a train 3车厢 1座. */
export function seatText(p) {
    return p.carriage ? `${p.carriage}车厢 ${p.carriage_seat}座` : `${p.seat}座`;
}

/** A group's seats as on the manifest: 5–6座, or for trains 3车41–42座. */
export function groupSeats(carriageSize, seat, n) {
    if (!seat) return '';
    const [c1, s1] = trainSeat(carriageSize, seat);
    const [c2, s2] = trainSeat(carriageSize, seat + n - 1);
    const head = c1 ? `${c1}车` : '';
    if (n === 1) return `${head}${s1}座`;
    return c1 === c2 ? `${head}${s1}–${s2}座` : `${head}${s1}座–${c2}车${s2}座`;
}
