-- Create or update one vehicle (docs/redis-keys.md; seats.lua comes first). A create takes
-- the next id and adds the vehicle to its campaign's scope index; an update only writes
-- when the status is still the one the caller read (else 'conflict') and never sets
-- capacity below the people assigned or the highest seat given out (seat_next - 1; else
-- 'below_used'). An update that cancels the vehicle sends its passengers back to matching
-- in the same step: out of the assignment hash and into the open index again (unless
-- cancelled themselves), boarding and call-back marks undone, every seat free. An update
-- never changes the trip (type, destination, day) of a vehicle with people on it (else
-- 'has_passengers'): they were matched to the old one; nor leaves a passenger outside
-- its pickup area ('outside_area', with the code); a vehicle with people checked in is
-- not cancelled ('boarded'). Departing counts its boarded people as departed, arriving as
-- arrived (the transport counters of their villages).
-- KEYS[1] sg:{P}:vehicles:next   KEYS[2] sg:{P}:{campaign}:vehicles (ZSET, member "{scope}:{id}")
-- KEYS[3] sg:{P}:{campaign}:assign  KEYS[4] sg:{P}:{campaign}:open
-- on an update: KEYS[5] sg:{P}:vehicle:{id}  KEYS[6] sg:{P}:vehicle:{id}:seats
--               KEYS[7] sg:{P}:vehicle:{id}:boarded
-- ARGV[1] id ('' to create)  ARGV[2] the status read before ('' on create)
-- ARGV[3] scope  ARGV[4] capacity  ARGV[5] the key prefix sg:{P}:
-- ARGV[6..] field, value pairs of the hash (campaign first)
-- Derived keys (same hash slot as KEYS, the prefix's tag), P = ARGV[5]: on a create, the
-- new vehicle P..'vehicle:'..{the id INCR gives}; on an update, its passengers'
-- registrations P..'reg:'..{code}, from its seat list, and trip_count's counters of
-- their villages and counties; when it cancels a vehicle with passengers, P..'open:changes'
-- (open_changed).
local id, P = ARGV[1], ARGV[5]
local fields = {}
for i = 6, #ARGV - 1, 2 do
  fields[ARGV[i]] = ARGV[i + 1]
end
local key
if id == '' then
  id = tostring(redis.call('INCR', KEYS[1]))
  key = P .. 'vehicle:' .. id
  redis.call('HSET', key, 'id', id, 'scope', ARGV[3], 'used', '0')
  redis.call('ZADD', KEYS[2], 0, ARGV[3] .. ':' .. id)
else
  key = KEYS[5]
  local cur = redis.call('HMGET', key, 'status', 'used', 'seat_next', 'type', 'dest_city', 'day', 'scope')
  if not cur[1] then
    return {'missing'}
  end
  if cur[1] ~= ARGV[2] then
    return {'conflict'}
  end
  if tonumber(ARGV[4]) < math.max(tonumber(cur[2]), (tonumber(cur[3]) or 1) - 1) then
    return {'below_used'}
  end
  if fields.status == 'cancelled' and cur[1] ~= 'cancelled' and redis.call('SCARD', KEYS[7]) > 0 then
    return {'boarded'} -- people checked in stay on it: change its number or plan instead
  end
  if tonumber(cur[2]) > 0 then
    local trip = {type = cur[4], dest_city = cur[5], day = cur[6]}
    for name, value in pairs(fields) do
      if trip[name] and trip[name] ~= value then
        return {'has_passengers', name}
      end
    end
    -- (checked when the stops' areas change: a vehicle filled before areas counted still departs)
    if fields.status ~= 'cancelled' and area_names(fields.plan) ~= area_names(redis.call('HGET', key, 'plan')) then
      for _, code in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
        if not area_holds(cur[7], fields.plan, redis.call('HGET', P .. 'reg:' .. code, 'village') or '') then
          return {'outside_area', code}
        end
      end
    end
  end
end
local was = ARGV[1] ~= '' and redis.call('HGET', key, 'status')
redis.call('HSET', key, unpack(ARGV, 6))
local now, C = fields.status, fields.campaign
-- the transport counters of each passenger (checked in only, with boarded) by field
local function count_each(boarded_only, field, sign)
  for _, code in ipairs(redis.call('ZRANGE', KEYS[6], 0, -1)) do
    if not boarded_only or redis.call('SISMEMBER', KEYS[7], code) == 1 then
      local r = redis.call('HMGET', P .. 'reg:' .. code, 'village', 'people')
      trip_count(P, C, r[1], field, sign * (tonumber(r[2]) or 0))
    end
  end
end
if was == 'boarding' and now == 'departed' then
  count_each(true, 't:departed', 1)
elseif was == 'departed' and now == 'arrived' then
  count_each(true, 't:arrived', 1)
elseif was and was ~= 'cancelled' and now == 'cancelled' then
  local passengers = redis.call('ZRANGE', KEYS[6], 0, -1)
  if #passengers > 0 then
    open_changed(P, C) -- their assignments undone
  end
  for _, code in ipairs(passengers) do
    local rkey = P .. 'reg:' .. code
    local r = redis.call('HMGET', rkey, 'status', 'open', 'village', 'people', 'notified')
    local people = tonumber(r[4]) or 0
    redis.call('HDEL', KEYS[3], code)
    trip_count(P, C, r[3], 't:assigned', -people)
    if r[5] == id then
      trip_count(P, C, r[3], 't:notified', -people)
    end
    if redis.call('SISMEMBER', KEYS[7], code) == 1 then
      trip_count(P, C, r[3], 't:boarded', -people)
    end
    redis.call('HDEL', rkey, 'notified', 'notified_at', 'notified_by', 'no_show')
    if r[1] == 'registered' and r[2] then
      redis.call('ZADD', KEYS[4], 0, r[2])
    end
  end
  redis.call('DEL', KEYS[6], KEYS[7])
  redis.call('HSET', key, 'used', 0, 'seat_next', 1, 'holes', '', 'boarded_people', 0, 'boarded_poverty', 0)
end
return {'ok', id}
