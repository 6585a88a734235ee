-- Free a registration's seat (docs/redis-keys.md): out of its vehicle's seat list, the
-- vehicle's used count down, out of the assignment hash, status back to 'registered'.
-- With ARGV[2] == 'reopen' it goes back into the open index (to be matched again); a
-- cancel passes 'drop' and the registration leaves the open index for good.
-- KEYS[1] sg:reg:{code}  KEYS[2] sg:{campaign}:open  KEYS[3] sg:{campaign}:assign
-- ARGV[1] code  ARGV[2] 'reopen' or 'drop'
local f = redis.call('HMGET', KEYS[1], 'vehicle', 'people', 'open', 'counted')
if not f[3] then
  return {'missing'}
end
if f[1] and f[1] ~= '' then
  redis.call('ZREM', 'sg:vehicle:' .. f[1] .. ':seats', ARGV[1])
  redis.call('HINCRBY', 'sg:vehicle:' .. f[1], 'used', -tonumber(f[2]))
  if redis.call('SREM', 'sg:vehicle:' .. f[1] .. ':boarded', ARGV[1]) == 1 then
    redis.call('HINCRBY', 'sg:vehicle:' .. f[1], 'boarded_people', -tonumber(f[2]))
    redis.call('HINCRBY', 'sg:vehicle:' .. f[1], 'boarded_poverty',
      -tonumber(string.match(f[4] or '', 'poverty (%d+)') or '0'))
  end
  redis.call('HDEL', KEYS[3], ARGV[1])
  redis.call('HDEL', KEYS[1], 'vehicle', 'seat')
  redis.call('HSET', KEYS[1], 'status', 'registered')
end
if ARGV[2] == 'reopen' then
  redis.call('ZADD', KEYS[2], 0, f[3])
else
  redis.call('ZREM', KEYS[2], f[3])
end
return {'ok', f[1] or ''}
