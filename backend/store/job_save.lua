#!lua
-- Create or update one job (docs/redis-keys.md): the hash keeps id, scope, employer and
-- the rest as JSON; the index holds "{scope}:{id}".
-- KEYS[1] sg:{P}:jobs:next  KEYS[2] sg:{P}:jobs (ZSET "{scope}:{id}")
-- ARGV[1] id ('' to create)  ARGV[2] scope  ARGV[3] employer id  ARGV[4] json  ARGV[5] the prefix sg:{P}:
-- Derived keys (same hash slot): P..'job:'..id.
-- Returns {'ok', id} or {'missing'}.
local id, P = ARGV[1], ARGV[5]
if id == '' then
  id = tostring(redis.call('INCR', KEYS[1]))
else
  local scope = redis.call('HGET', P .. 'job:' .. id, 'scope')
  if not scope then
    return {'missing'}
  end
  redis.call('ZREM', KEYS[2], scope .. ':' .. id)
end
redis.call('HSET', P .. 'job:' .. id, 'id', id, 'scope', ARGV[2], 'employer', ARGV[3], 'json', ARGV[4])
redis.call('ZADD', KEYS[2], 0, ARGV[2] .. ':' .. id)
return {'ok', id}
