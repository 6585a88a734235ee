#!lua
-- Create or update one employer (docs/redis-keys.md). The credit code is unique: a
-- create claims sg:{P}:employer-code:{code} (SET NX) before anything else; an update
-- that changes the code claims the new one and frees the old one. The hash keeps the
-- fields scripts and lists need (id, scope, credit_code) and the rest as JSON.
-- KEYS[1] sg:{P}:employers:next  KEYS[2] sg:{P}:employers (ZSET "{scope}:{id}")
-- KEYS[3] sg:{P}:employer-code:{new code}
-- ARGV[1] id ('' to create)  ARGV[2] scope  ARGV[3] credit code  ARGV[4] json  ARGV[5] the prefix sg:{P}:
-- Derived keys (same hash slot, the prefix's tag): P..'employer:'..id; on an update that
-- changes the code, P..'employer-code:'..{the old code}.
-- Returns {'ok', id}, {'taken', id of the holder} or {'missing'}.
local id, P = ARGV[1], ARGV[5]
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= id then
  return {'taken', holder}
end
local key
if id == '' then
  id = tostring(redis.call('INCR', KEYS[1]))
  key = P .. 'employer:' .. id
else
  key = P .. 'employer:' .. id
  local cur = redis.call('HMGET', key, 'scope', 'credit_code')
  if not cur[1] then
    return {'missing'}
  end
  if cur[2] ~= ARGV[3] then
    redis.call('DEL', P .. 'employer-code:' .. cur[2])
  end
  redis.call('ZREM', KEYS[2], cur[1] .. ':' .. id)
end
redis.call('SET', KEYS[3], id)
redis.call('HSET', key, 'id', id, 'scope', ARGV[2], 'credit_code', ARGV[3], 'json', ARGV[4])
redis.call('ZADD', KEYS[2], 0, ARGV[2] .. ':' .. id)
return {'ok', id}
