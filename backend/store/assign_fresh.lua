#!lua
-- Create vehicles an accept proposed and write their passengers, atomically, without
-- looking at each group (docs/redis-keys.md, Matching and assignments): only while the
-- campaign's count in sg:{P}:open:changes is still the one the accept read before its
-- open index. Every script that takes a member out of the open index while it is not
-- assigned, or undoes an assignment, adds to that count (seats.lua's open_changed), and
-- no other run assigns while the accept holds the campaign's lock: so while the count is
-- unchanged, every group the accept read is still open and unassigned, and the vehicles,
-- whose ids it reserved, are new. The caller has worked out each vehicle's whole hash
-- (its seats taken in order: used, seat_next, holes), its seat list and the transport
-- counters; the script checks the count and writes them, one command per vehicle and a
-- few per batch. Otherwise it writes nothing and answers {'stale'}: the accept then sends
-- the batch through assign.lua, which checks each group.
-- KEYS[1] sg:{P}:{campaign}:assign  KEYS[2] sg:{P}:{campaign}:vehicles  KEYS[3] sg:{P}:open:changes
-- KEYS[2 + 2j] sg:{P}:vehicle:{id j}  KEYS[3 + 2j] sg:{P}:vehicle:{id j}:seats, for j = 1 .. m
-- ARGV[1] campaign  ARGV[2] its count of open:changes as the accept read it ('0': none)
-- ARGV[3] m  ARGV[4] the key prefix sg:{P}:  ARGV[5] the division that owns the vehicles
-- ARGV[6] groups in all  ARGV[7] v: villages, ARGV[8] c: counties whose 't:assigned'
-- counter grows
-- then per vehicle j: z (strings of its seat list), then its id, used, type, capacity,
-- carriage_size, dest_city, depart_date, day, plan, seat_next and holes (the fields
-- vehicle_save.lua writes on a create, with its seats), then z seat, code strings (which
-- give the assignment hash its code -> "{vehicle}:{first seat}")
-- then v times village, people, then c times county, people
-- Derived keys (in the hash slot of the prefix's tag): P..C..':stats:'..{village, county}.
-- Returns {'ok', groups written} or {'stale'}.
local C, m, P, scope = ARGV[1], tonumber(ARGV[3]), ARGV[4], ARGV[5]
if (redis.call('HGET', KEYS[3], C) or '0') ~= ARGV[2] then
  return {'stale'}
end
local at, index, assign = 9, {}, {}
for j = 1, m do
  local z, id = tonumber(ARGV[at]), ARGV[at + 1]
  local prefix = id .. ':'
  index[#index + 1] = 0
  index[#index + 1] = scope .. ':' .. id
  redis.call('HSET', KEYS[2 + 2 * j], 'id', id, 'scope', scope, 'used', ARGV[at + 2], 'campaign', C, 'type',
    ARGV[at + 3], 'status', 'planned', 'capacity', ARGV[at + 4], 'carriage_size', ARGV[at + 5], 'dest_city',
    ARGV[at + 6], 'depart_date', ARGV[at + 7], 'day', ARGV[at + 8], 'plan', ARGV[at + 9], 'seat_next',
    ARGV[at + 10], 'holes', ARGV[at + 11])
  at = at + 12
  for k = at, at + z - 1, 4000 do -- (unpack stays under Lua's stack limit, 8000)
    redis.call('ZADD', KEYS[3 + 2 * j], unpack(ARGV, k, math.min(k + 3999, at + z - 1)))
  end
  for k = at, at + z - 1, 2 do
    assign[#assign + 1] = ARGV[k + 1]
    assign[#assign + 1] = prefix .. ARGV[k]
  end
  at = at + z
end
for k = 1, #index, 4000 do
  redis.call('ZADD', KEYS[2], unpack(index, k, math.min(k + 3999, #index)))
end
for k = 1, #assign, 4000 do
  redis.call('HSET', KEYS[1], unpack(assign, k, math.min(k + 3999, #assign)))
end
local stats = P .. C .. ':stats:'
for _ = 1, tonumber(ARGV[7]) + tonumber(ARGV[8]) do
  redis.call('HINCRBY', stats .. ARGV[at], 't:assigned', ARGV[at + 1])
  at = at + 2
end
return {'ok', #assign / 2}
