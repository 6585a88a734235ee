#!lua
-- Count a wrong password; lock the account for a while after too many.
-- KEYS[1] sg:{P}:user:{name}  ARGV[1] now ms  ARGV[2] lock ms  ARGV[3] max failures
-- Returns the lock's end (ms) when this failure locked it, else 0.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local fails = redis.call('HINCRBY', KEYS[1], 'fails', 1)
if fails >= tonumber(ARGV[3]) then
  local until_ms = tonumber(ARGV[1]) + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'fails', '0', 'locked_until', tostring(until_ms))
  return until_ms
end
return 0
