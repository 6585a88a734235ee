-- Assign one batch of registrations to seats, atomically (docs/redis-keys.md; seats.lua
-- comes first). The batch is in the open index's order. A group is taken only while its
-- member is still in the open index (in it = neither assigned nor cancelled: every
-- script that assigns or cancels takes it out in the same step), into a vehicle that is
-- planned, has room, and whose seats for the group are all free (seats.lua). What
-- passes is written: the assignment hash (code -> "vehicle:seat"), each vehicle's seat
-- list, used count and free seats once, and the open index loses the batch's members
-- run by run: the batch's span is read with one ZRANGEBYLEX and every run of
-- consecutive members taken leaves with one ZREMRANGEBYLEX (a ZREM each cost Redis
-- ~10 us a member in a 666k-member index). Returns {groups assigned, {skipped codes}}.
-- KEYS[1] sg:{campaign}:open  KEYS[2] sg:{campaign}:assign
-- ARGV[1] n, then n times: open member "{village}:{code}:...:{people}", vehicle id, seat
local n = tonumber(ARGV[1])
if n == 0 then
  return {0, {}}
end
local span = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. ARGV[2], '[' .. ARGV[3 * n - 1])
local at, taken = {}, {}
for i, m in ipairs(span) do
  at[m] = i
end
local vehicles, order, assign, skipped = {}, {}, {}, {}
for i = 1, n do
  local member, vid, seat = ARGV[3 * i - 1], ARGV[3 * i], tonumber(ARGV[3 * i + 1])
  local code, people = string.sub(member, 14, 21), tonumber(string.match(member, ':(%d+)$'))
  local v = vehicles[vid]
  if not v then
    local key = 'sg:vehicle:' .. vid
    local f = redis.call('HMGET', key, 'status', 'capacity', 'used', 'seat_next', 'holes')
    v = seats_parse(f[4], f[5])
    v.key, v.ok, v.cap, v.used = key, f[1] == 'planned', tonumber(f[2]) or 0, tonumber(f[3]) or 0
    v.room, v.seats, v.people = v.cap - v.used, {}, 0
    vehicles[vid] = v
    order[#order + 1] = v
  end
  local k = at[member]
  if k and not taken[k] and people and seat and v.ok and v.room >= people and seat >= 1 and
     seat + people - 1 <= v.cap and seats_take(v, seat, seat + people - 1) then
    taken[k] = true
    v.room, v.people = v.room - people, v.people + people
    v.seats[#v.seats + 1] = seat
    v.seats[#v.seats + 1] = code
    assign[#assign + 1] = code
    assign[#assign + 1] = vid .. ':' .. seat
  else
    skipped[#skipped + 1] = code
  end
end
for _, v in ipairs(order) do
  if v.people > 0 then
    redis.call('ZADD', v.key .. ':seats', unpack(v.seats))
    seats_write(v.key, v, 'used', v.used + v.people)
  end
end
for k = 1, #assign, 2000 do -- unpack stays under Lua's stack limit (8000)
  redis.call('HSET', KEYS[2], unpack(assign, k, math.min(k + 1999, #assign)))
end
local i = 1
while i <= #span do
  if taken[i] then
    local j = i
    while taken[j + 1] do
      j = j + 1
    end
    redis.call('ZREMRANGEBYLEX', KEYS[1], '[' .. span[i], '[' .. span[j])
    i = j + 1
  else
    i = i + 1
  end
end
return {#assign / 2, skipped}
