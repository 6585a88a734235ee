-- Create or update one vehicle (docs/redis-keys.md). A create takes the next id and adds
-- the vehicle to its campaign's scope index; an update only writes when the status is
-- still the one the caller read (else 'conflict') and never sets capacity below the people
-- assigned or the highest seat given out (seat_next - 1; else 'below_used').
-- KEYS[1] sg:vehicles:next   KEYS[2] sg:{campaign}:vehicles (ZSET, member "{scope}:{id}")
-- ARGV[1] id ('' to create)  ARGV[2] the status read before ('' on create)
-- ARGV[3] scope  ARGV[4] capacity  ARGV[5..] field, value pairs of the hash
local id = ARGV[1]
local key
if id == '' then
  id = tostring(redis.call('INCR', KEYS[1]))
  key = 'sg:vehicle:' .. id
  redis.call('HSET', key, 'id', id, 'scope', ARGV[3], 'used', '0')
  redis.call('ZADD', KEYS[2], 0, ARGV[3] .. ':' .. id)
else
  key = 'sg:vehicle:' .. id
  local cur = redis.call('HMGET', key, 'status', 'used', 'seat_next')
  if not cur[1] then
    return {'missing'}
  end
  if cur[1] ~= ARGV[2] then
    return {'conflict'}
  end
  if tonumber(ARGV[4]) < math.max(tonumber(cur[2]), (tonumber(cur[3]) or 1) - 1) then
    return {'below_used'}
  end
end
redis.call('HSET', key, unpack(ARGV, 5))
return {'ok', id}
