-- Mark a registration boarded on its vehicle (idempotent; seats.lua comes first). Allowed
-- while the vehicle is planned or boarding; the vehicle keeps boarded_people and
-- boarded_poverty, the counts the report reads once it has departed, the village and its
-- county the transport counter t:boarded (docs/redis-keys.md); a no-show mark goes.
-- KEYS[1] sg:{P}:reg:{code}  KEYS[2] sg:{P}:vehicle:{id}  KEYS[3] sg:{P}:vehicle:{id}:boarded
-- ARGV[1] code  ARGV[2] vehicle id  ARGV[3] the key prefix sg:{P}:
-- Derived keys (the caller knows the code and vehicle only; same hash slot as KEYS, the
-- prefix's tag): ARGV[3] .. {the record's campaign} .. ':assign', and trip_count's.
local r = redis.call('HMGET', KEYS[1], 'campaign', 'people', 'counted', 'status', 'village')
if not r[4] then
  return {'missing'}
end
local a = redis.call('HGET', ARGV[3] .. r[1] .. ':assign', ARGV[1]) or ''
if string.match(a, '^(%d+):') ~= ARGV[2] then
  return {'wrong_vehicle'}
end
local status = redis.call('HGET', KEYS[2], 'status')
if status ~= 'planned' and status ~= 'boarding' then
  return {'closed', status or ''}
end
if redis.call('SADD', KEYS[3], ARGV[1]) == 0 then
  return {'again'}
end
redis.call('HINCRBY', KEYS[2], 'boarded_people', tonumber(r[2]))
redis.call('HINCRBY', KEYS[2], 'boarded_poverty', tonumber(string.match(r[3] or '', 'poverty (%d+)') or '0'))
redis.call('HDEL', KEYS[1], 'no_show')
trip_count(ARGV[3], r[1], r[5], 't:boarded', tonumber(r[2]))
return {'ok'}
