-- Assign one batch of registrations to seats, atomically (docs/redis-keys.md; seats.lua
-- comes first). The batch comes in vehicle and seat order. A group is taken only while
-- its member is in the open index (ZMSCORE: not cancelled, not edited since it was read)
-- and the assignment hash does not hold it yet, into a vehicle that is planned, has room,
-- and whose seats for the group are all free (seats.lua). What passes is written: the
-- assignment hash (code -> "vehicle:seat"), and once per vehicle its seat list and one
-- HSET of used, seat_next and holes, and once per village the transport counter
-- 't:assigned' of the village and its county. The members stay in the open index: open_sweep.lua
-- takes them out afterwards, run by run in the index's order (a ZREM each would cost
-- Redis ~5-10 us a member in a 1M-member index). Returns {groups assigned, {skipped codes}}.
-- KEYS[1] sg:{P}:{campaign}:open  KEYS[2] sg:{P}:{campaign}:assign
-- KEYS[1 + 2j] sg:{P}:vehicle:{id j}  KEYS[2 + 2j] sg:{P}:vehicle:{id j}:seats, for j = 1 .. m
-- ARGV[1] n  ARGV[2] m  ARGV[3] the key prefix sg:{P}:  ARGV[4] campaign
-- ARGV[5 .. 4+m] the vehicle ids of the batch, in the order of their keys
-- then n times: open member "{village}:{code}:...:{people}", vehicle id, seat
-- then, optionally, the vehicles this accept creates in this batch (their ids reserved):
-- their number k, and for each its place j among the batch's vehicles, the number h of
-- strings that follow and h field, value strings of its hash (vehicle_save.lua's fields),
-- then its member of the campaign's vehicle index "{scope}:{id}". They are written first,
-- empty; the batch then fills them like any other. (An accept uses assign_fresh.lua for
-- the vehicles it creates while nothing changed the open index: this is its way when
-- something did.)
-- Every key of a registration or vehicle comes in KEYS (a group whose vehicle has no keys
-- is skipped); derived (from the members, in the hash slot of the prefix's tag): the
-- counters of trip_count (seats.lua), P..C..':stats:'..{village, county}; with vehicles
-- to create, the campaign's vehicle index P..C..':vehicles'.
local n, m = tonumber(ARGV[1]), tonumber(ARGV[2])
local vkeys = {}
for j = 1, m do
  vkeys[ARGV[4 + j]] = j
end
local base = 4 + m
local at = base + 3 * n + 1
for _ = 1, tonumber(ARGV[at] or '0') do
  local j, h = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  redis.call('HSET', KEYS[1 + 2 * j], unpack(ARGV, at + 3, at + 2 + h))
  redis.call('ZADD', ARGV[3] .. ARGV[4] .. ':vehicles', 0, ARGV[at + 3 + h])
  at = at + 3 + h
end
if n == 0 then
  return {0, {}}
end
local members, codes = {}, {}
for i = 1, n do
  members[i] = ARGV[base + 3 * i - 2]
  codes[i] = string.sub(members[i], 14, 21)
end
local open = redis.call('ZMSCORE', KEYS[1], unpack(members))
local held = redis.call('HMGET', KEYS[2], unpack(codes))
local vehicles, order, assign, skipped, seen, villages = {}, {}, {}, {}, {}, {}
for i = 1, n do
  local vid, seat, code = ARGV[base + 3 * i - 1], tonumber(ARGV[base + 3 * i]), codes[i]
  local people = tonumber(string.match(members[i], ':(%d+)$'))
  local v = vehicles[vid]
  if not v then
    local j = vkeys[vid]
    local f = j and redis.call('HMGET', KEYS[1 + 2 * j], 'status', 'capacity', 'used', 'seat_next', 'holes') or {}
    v = seats_parse(f[4], f[5])
    v.key, v.seatkey, v.ok = j and KEYS[1 + 2 * j], j and KEYS[2 + 2 * j], f[1] == 'planned'
    v.cap, v.used = tonumber(f[2]) or 0, tonumber(f[3]) or 0
    v.room, v.seats, v.people = v.cap - v.used, {}, 0
    vehicles[vid] = v
    order[#order + 1] = v
  end
  if open[i] and not held[i] and not seen[code] and people and seat and v.ok and v.room >= people and seat >= 1 and
     seat + people - 1 <= v.cap and seats_take(v, seat, seat + people - 1) then
    seen[code] = true
    v.room, v.people = v.room - people, v.people + people
    v.seats[#v.seats + 1] = seat
    v.seats[#v.seats + 1] = code
    assign[#assign + 1] = code
    assign[#assign + 1] = vid .. ':' .. seat
    local village = string.sub(members[i], 1, 12)
    villages[village] = (villages[village] or 0) + people
  else
    skipped[#skipped + 1] = code
  end
end
for _, v in ipairs(order) do
  if v.people > 0 then
    for k = 1, #v.seats, 2000 do -- unpack stays under Lua's stack limit (8000)
      redis.call('ZADD', v.seatkey, unpack(v.seats, k, math.min(k + 1999, #v.seats)))
    end
    seats_write(v.key, v, 'used', v.used + v.people)
  end
end
for k = 1, #assign, 2000 do
  redis.call('HSET', KEYS[2], unpack(assign, k, math.min(k + 1999, #assign)))
end
local counties, stats = {}, ARGV[3] .. ARGV[4] .. ':stats:'
for village, people in pairs(villages) do -- (trip_count's counters, a county once per batch)
  redis.call('HINCRBY', stats .. village, 't:assigned', people)
  counties[string.sub(village, 1, 6)] = (counties[string.sub(village, 1, 6)] or 0) + people
end
for county, people in pairs(counties) do
  redis.call('HINCRBY', stats .. county, 't:assigned', people)
end
return {#assign / 2, skipped}
