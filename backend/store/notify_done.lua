#!lua
-- A message was delivered (docs/redis-keys.md): marked sent (kept 7 days, so that a copy
-- of it still in the outbox is dropped), acknowledged and deleted from the outbox, and
-- counted by its push.
-- KEYS[1] sg:{P}:notify:message:{mid}  KEYS[2] sg:{P}:notify:outbox
-- ARGV[1] outbox entry id  ARGV[2] consumer group  ARGV[3] now (ms)  ARGV[4] the prefix sg:{P}:
-- Derived keys (same hash slot): P..'push:'..{the message's push} when it has one.
local push = redis.call('HGET', KEYS[1], 'push')
local was = redis.call('HGET', KEYS[1], 'status')
redis.call('HSET', KEYS[1], 'status', 'sent', 'sent_at', ARGV[3])
redis.call('EXPIRE', KEYS[1], 604800)
redis.call('XACK', KEYS[2], ARGV[2], ARGV[1])
redis.call('XDEL', KEYS[2], ARGV[1])
if push and push ~= '' and was ~= 'sent' then
  redis.call('HINCRBY', ARGV[4] .. 'push:' .. push, 'sent', 1)
end
return 1
