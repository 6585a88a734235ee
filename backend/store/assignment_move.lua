-- Move one registration (assigned or open) to a vehicle by hand, with the matcher's rules:
-- same campaign and destination city, the vehicle's day within the registration's
-- flexibility, a type its mode allows, a stop serving its village (the vehicle's pickup
-- area), the vehicle planned and with a free run of seats for the whole group (a hole left
-- by a cancel first, else from seat_next; seats.lua comes first). Refused while a matching
-- run holds the campaign's lock (docs/redis-keys.md), for a cancelled registration, for one
-- whose village is no longer the one the caller checked the scope of, and for a group that
-- has checked in or whose vehicle has left (it stays where it travelled).
-- KEYS[1] sg:{P}:reg:{code}  KEYS[2] sg:{P}:{campaign}:open  KEYS[3] sg:{P}:{campaign}:assign
-- KEYS[4] sg:{P}:vehicle:{id}  KEYS[5] sg:{P}:{campaign}:matchlock  KEYS[6] sg:{P}:vehicle:{id}:seats
-- ARGV[1] code  ARGV[2] vehicle id  ARGV[3] campaign  ARGV[4] the key prefix sg:{P}:
-- ARGV[5] the village the caller checked the scope of
-- Derived keys (the vehicle it leaves, from the assignment; same hash slot, the prefix's
-- tag): those of trip_lock, assignment_drop, trip_count and open_changed (seats.lua).
if redis.call('EXISTS', KEYS[5]) == 1 then
  return {'busy'}
end
local r = redis.call('HMGET', KEYS[1], 'status', 'people', 'open', 'campaign', 'counted', 'village')
local v = redis.call('HMGET', KEYS[4], 'status', 'capacity', 'used', 'campaign', 'type', 'dest_city', 'day', 'scope',
  'plan')
if not r[3] or r[4] ~= ARGV[3] or not v[1] or v[4] ~= ARGV[3] then
  return {'missing'}
end
if r[6] ~= ARGV[5] then
  return {'changed'}
end
if r[1] ~= 'registered' then
  return {'not_open'}
end
local P, village = ARGV[4], r[6]
local now_vid, now_seat = string.match(redis.call('HGET', KEYS[3], ARGV[1]) or '', '^(%d+):(%d+)$')
if now_vid == ARGV[2] then
  return {'ok', now_seat}
end
local lock = trip_lock(P, now_vid, ARGV[1])
if lock then
  return {lock}
end
local city, day, flex, mode = string.match(r[3], '^%d+:%w+:(%d+):(%-?%d+):(%d+):(%d+):%d+$')
local types = {'bus', 'train', 'flight'}
local d = math.abs(tonumber(day) - tonumber(v[7]))
if city ~= v[6] or d > tonumber(flex) or (mode ~= '0' and types[tonumber(mode)] ~= v[5]) then
  return {'not_matching'}
end
if v[1] ~= 'planned' then
  return {'not_planned'}
end
if not area_holds(v[8], v[9], village) then
  return {'no_stop'}
end
local people, cap = tonumber(r[2]), tonumber(v[2])
local seats = seats_read(KEYS[4])
local seat = cap - tonumber(v[3] or '0') >= people and seats_fit(seats, people, cap)
if not seat then
  return {'no_room'}
end
if now_vid then
  assignment_drop(P, ARGV[3], ARGV[1], people, r[5], village)
end
if redis.call('ZREM', KEYS[2], r[3]) == 1 and not now_vid then -- (an assigned one may not be swept yet)
  open_changed(P, ARGV[3])
end
seats = seats_read(KEYS[4])
seats_take(seats, seat, seat + people - 1)
seats_write(KEYS[4], seats)
redis.call('ZADD', KEYS[6], seat, ARGV[1])
redis.call('HINCRBY', KEYS[4], 'used', people)
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2] .. ':' .. seat)
trip_count(P, ARGV[3], village, 't:assigned', people)
return {'ok', tostring(seat)}
