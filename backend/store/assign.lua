-- Assign one batch of registrations to seats, atomically (docs/redis-keys.md). A
-- registration is taken only while it is still in the campaign's open index (not
-- cancelled, not assigned meanwhile: ZMSCORE) and not in the assignment hash; a vehicle
-- takes a group only while it is planned and has room, at seats after every seat given out
-- before (seat_next), so two writers can never give one seat twice. Whatever is skipped
-- is returned.
-- KEYS[1] sg:{campaign}:open   KEYS[2] sg:{campaign}:assign (HASH code -> vehicle)
-- ARGV[1] n groups, then n times: code, open member, vehicle id, first seat, people
local n = tonumber(ARGV[1])
local codes, members = {}, {}
for i = 1, n do
  codes[i] = ARGV[2 + (i - 1) * 5]
  members[i] = ARGV[3 + (i - 1) * 5]
end
local open = redis.call('ZMSCORE', KEYS[1], unpack(members))
local taken = redis.call('HMGET', KEYS[2], unpack(codes))
local vehicles, assign, gone, skipped = {}, {}, {}, {}
for i = 1, n do
  local b = 1 + (i - 1) * 5
  local code, vid, seat, people = ARGV[b + 1], ARGV[b + 3], ARGV[b + 4], tonumber(ARGV[b + 5])
  local v = vehicles[vid]
  if not v then
    local f = redis.call('HMGET', 'sg:vehicle:' .. vid, 'status', 'capacity', 'used', 'seat_next')
    v = {ok = f[1] == 'planned', cap = tonumber(f[2]) or 0, room = (tonumber(f[2]) or 0) - (tonumber(f[3]) or 0),
         next = tonumber(f[4]) or 1, seats = {}, people = 0}
    vehicles[vid] = v
  end
  local s = tonumber(seat)
  if open[i] and not taken[i] and v.ok and v.room >= people and s >= v.next and s + people - 1 <= v.cap then
    v.room = v.room - people
    v.next = s + people
    v.people = v.people + people
    v.seats[#v.seats + 1] = seat
    v.seats[#v.seats + 1] = code
    assign[#assign + 1] = code
    assign[#assign + 1] = vid
    gone[#gone + 1] = members[i]
    redis.call('HSET', 'sg:reg:' .. code, 'status', 'assigned', 'vehicle', vid, 'seat', seat)
  else
    skipped[#skipped + 1] = code
  end
end
for vid, v in pairs(vehicles) do
  if v.people > 0 then
    redis.call('ZADD', 'sg:vehicle:' .. vid .. ':seats', unpack(v.seats))
    redis.call('HINCRBY', 'sg:vehicle:' .. vid, 'used', v.people)
    redis.call('HSET', 'sg:vehicle:' .. vid, 'seat_next', v.next)
  end
end
if #assign > 0 then
  redis.call('HSET', KEYS[2], unpack(assign))
  redis.call('ZREM', KEYS[1], unpack(gone))
end
return {#assign / 2, skipped}
