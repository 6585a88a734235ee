#!lua
-- One attempt of a kind by someone (docs/redis-keys.md, sg:{P}:attempts:{kind}:{who}):
-- counted first, so that a flood of parallel tries cannot slip past the limit between a
-- read and a write. The window starts at the first attempt and is not extended by later
-- ones. A right answer deletes the key (attempts.c).
-- KEYS[1] sg:{P}:attempts:{kind}:{who}  ARGV[1] the most attempts allowed  ARGV[2] the window (s)
-- Returns {1, 0} when this attempt is allowed, else {0, seconds until the window ends}.
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if n > tonumber(ARGV[1]) then
  return {0, ttl}
end
return {1, 0}
