#!lua
-- A message was not delivered, or must wait (docs/redis-keys.md). A failed attempt counts
-- and gives back the allowance it took; after the last attempt the message is given up
-- on: kept 30 days in the dead letters of its scope for staff to see and send again.
-- Otherwise it waits in the delayed set until due. Either way its outbox entry is
-- acknowledged and deleted.
-- KEYS[1] sg:{P}:notify:message:{mid}  KEYS[2] sg:{P}:notify:outbox  KEYS[3] sg:{P}:notify:delayed
-- KEYS[4] sg:{P}:notify:dead  KEYS[5] sg:{P}:notify:day:{date}
-- ARGV[1] outbox entry id  ARGV[2] consumer group  ARGV[3] due (ms)  ARGV[4] attempts allowed
-- ARGV[5] what went wrong  ARGV[6] '1' a failed attempt, '0' only put off  ARGV[7] now (ms)  ARGV[8] mid
-- Returns 'dead' or 'retry'.
local out = 'retry'
local m = redis.call('HMGET', KEYS[1], 'ph', 'scope')
if not m[1] then
  out = 'gone'
elseif ARGV[6] == '1' then
  local a = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
  if (tonumber(redis.call('HGET', KEYS[5], m[1])) or 0) > 0 then
    redis.call('HINCRBY', KEYS[5], m[1], -1)
  end
  redis.call('HSET', KEYS[1], 'last_error', ARGV[5])
  if a >= tonumber(ARGV[4]) then
    out = 'dead'
  end
end
if out == 'dead' then
  redis.call('HSET', KEYS[1], 'status', 'dead', 'dead_at', ARGV[7])
  redis.call('ZADD', KEYS[4], 0, m[2] .. ':' .. ARGV[8])
  redis.call('EXPIRE', KEYS[1], 2592000)
elseif out == 'retry' then
  redis.call('HSET', KEYS[1], 'status', 'waiting', 'due', ARGV[3])
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[8])
end
redis.call('XACK', KEYS[2], ARGV[2], ARGV[1])
redis.call('XDEL', KEYS[2], ARGV[1])
return out
