-- Move one registration (assigned or open) to a vehicle by hand, with the matcher's rules:
-- same campaign and destination city, the vehicle's day within the registration's
-- flexibility, a type its mode allows, the vehicle planned and with room at seat_next.
-- Refused while a matching run holds the campaign's lock (docs/redis-keys.md).
-- KEYS[1] sg:reg:{code}  KEYS[2] sg:{campaign}:open  KEYS[3] sg:{campaign}:assign
-- KEYS[4] sg:vehicle:{id}  KEYS[5] sg:{campaign}:matchlock
-- ARGV[1] code  ARGV[2] vehicle id  ARGV[3] campaign
if redis.call('EXISTS', KEYS[5]) == 1 then
  return {'busy'}
end
local r = redis.call('HMGET', KEYS[1], 'status', 'vehicle', 'people', 'open', 'campaign', 'counted')
local v = redis.call('HMGET', KEYS[4], 'status', 'capacity', 'used', 'seat_next', 'campaign', 'type', 'dest_city', 'day')
if not r[4] or r[5] ~= ARGV[3] or not v[1] or v[5] ~= ARGV[3] then
  return {'missing'}
end
if r[1] ~= 'registered' and r[1] ~= 'assigned' then
  return {'not_open'}
end
if r[2] == ARGV[2] then
  return {'ok', redis.call('HGET', KEYS[1], 'seat')}
end
local city, day, flex, mode = string.match(r[4], '^%d+:%w+:(%d+):(%-?%d+):(%d+):(%d+):%d+$')
local types = {'bus', 'train', 'flight'}
local d = math.abs(tonumber(day) - tonumber(v[8]))
if city ~= v[7] or d > tonumber(flex) or (mode ~= '0' and types[tonumber(mode)] ~= v[6]) then
  return {'not_matching'}
end
local people, cap, seat = tonumber(r[3]), tonumber(v[2]), tonumber(v[4] or '1')
if v[1] ~= 'planned' or cap - tonumber(v[3]) < people or seat + people - 1 > cap then
  return {'no_room'}
end
if r[2] and r[2] ~= '' then
  redis.call('ZREM', 'sg:vehicle:' .. r[2] .. ':seats', ARGV[1])
  if redis.call('SREM', 'sg:vehicle:' .. r[2] .. ':boarded', ARGV[1]) == 1 then
    redis.call('HINCRBY', 'sg:vehicle:' .. r[2], 'boarded_people', -people)
    redis.call('HINCRBY', 'sg:vehicle:' .. r[2], 'boarded_poverty',
      -tonumber(string.match(r[6] or '', 'poverty (%d+)') or '0'))
  end
  redis.call('HINCRBY', 'sg:vehicle:' .. r[2], 'used', -people)
else
  redis.call('ZREM', KEYS[2], r[4])
end
redis.call('ZADD', KEYS[4] .. ':seats', seat, ARGV[1])
redis.call('HINCRBY', KEYS[4], 'used', people)
redis.call('HSET', KEYS[4], 'seat_next', seat + people)
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], 'status', 'assigned', 'vehicle', ARGV[2], 'seat', seat)
return {'ok', tostring(seat)}
