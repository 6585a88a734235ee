#!lua
-- Create or update one vehicle (docs/redis-keys.md). A create takes the next id and adds
-- the vehicle to its campaign's scope index; an update only writes when the status is
-- still the one the caller read (else 'conflict') and never sets capacity below the people
-- assigned or the highest seat given out (seat_next - 1; else 'below_used'). An update that
-- cancels the vehicle sends its passengers back to matching in the same step: out of the
-- assignment hash and into the open index again (unless cancelled themselves), boarding
-- undone, every seat free. An update never changes the trip (type, destination, day) of a
-- vehicle with people on it (else 'has_passengers'): they were matched to the old one.
-- KEYS[1] sg:{P}:vehicles:next   KEYS[2] sg:{P}:{campaign}:vehicles (ZSET, member "{scope}:{id}")
-- KEYS[3] sg:{P}:{campaign}:assign  KEYS[4] sg:{P}:{campaign}:open
-- on an update: KEYS[5] sg:{P}:vehicle:{id}  KEYS[6] sg:{P}:vehicle:{id}:seats
--               KEYS[7] sg:{P}:vehicle:{id}:boarded
-- ARGV[1] id ('' to create)  ARGV[2] the status read before ('' on create)
-- ARGV[3] scope  ARGV[4] capacity  ARGV[5] the key prefix sg:{P}:
-- ARGV[6..] field, value pairs of the hash
-- Derived keys (same hash slot as KEYS, the prefix's tag), P = ARGV[5]: on a create, the
-- new vehicle P..'vehicle:'..{the id INCR gives}; when an update cancels the vehicle, its
-- passengers' registrations P..'reg:'..{code}, from its seat list.
local id, P = ARGV[1], ARGV[5]
local key
if id == '' then
  id = tostring(redis.call('INCR', KEYS[1]))
  key = P .. 'vehicle:' .. id
  redis.call('HSET', key, 'id', id, 'scope', ARGV[3], 'used', '0')
  redis.call('ZADD', KEYS[2], 0, ARGV[3] .. ':' .. id)
else
  key = KEYS[5]
  local cur = redis.call('HMGET', key, 'status', 'used', 'seat_next', 'type', 'dest_city', 'day')
  if not cur[1] then
    return {'missing'}
  end
  if cur[1] ~= ARGV[2] then
    return {'conflict'}
  end
  if tonumber(ARGV[4]) < math.max(tonumber(cur[2]), (tonumber(cur[3]) or 1) - 1) then
    return {'below_used'}
  end
  if tonumber(cur[2]) > 0 then
    local trip = {type = cur[4], dest_city = cur[5], day = cur[6]}
    for i = 6, #ARGV - 1, 2 do
      if trip[ARGV[i]] and trip[ARGV[i]] ~= ARGV[i + 1] then
        return {'has_passengers', ARGV[i]}
      end
    end
  end
end
local was = ARGV[1] ~= '' and redis.call('HGET', key, 'status')
redis.call('HSET', key, unpack(ARGV, 6))
local now
for i = 6, #ARGV - 1, 2 do
  if ARGV[i] == 'status' then
    now = ARGV[i + 1]
  end
end
if was and was ~= 'cancelled' and now == 'cancelled' then
  for _, code in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
    redis.call('HDEL', KEYS[3], code)
    local r = redis.call('HMGET', P .. 'reg:' .. code, 'status', 'open')
    if r[1] == 'registered' and r[2] then
      redis.call('ZADD', KEYS[4], 0, r[2])
    end
  end
  redis.call('DEL', KEYS[6], KEYS[7])
  redis.call('HSET', key, 'used', 0, 'seat_next', 1, 'holes', '', 'boarded_people', 0, 'boarded_poverty', 0)
end
return {'ok', id}
