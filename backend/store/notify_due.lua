#!lua
-- Messages whose wait is over go back into the outbox (docs/redis-keys.md), at most
-- ARGV[2] a call, in the order they fell due.
-- KEYS[1] sg:{P}:notify:delayed  KEYS[2] sg:{P}:notify:outbox
-- ARGV[1] now (ms)  ARGV[2] limit
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, mid in ipairs(due) do
  redis.call('XADD', KEYS[2], '*', 'mid', mid)
end
if #due > 0 then
  redis.call('ZREM', KEYS[1], unpack(due))
end
return #due
