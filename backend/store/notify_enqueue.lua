#!lua
-- Queue a push's messages, one per phone, at most once per phone and push, whatever is
-- repeated (docs/redis-keys.md): a phone hash new to the push's set gets a message hash
-- and an entry in the outbox; the push counts what it queued. With an event id, the event
-- that asked for it is acknowledged and deleted in the same step.
-- KEYS[1] sg:{P}:notify:next  KEYS[2] sg:{P}:notify:outbox  KEYS[3] sg:{P}:push:{id}:phones
-- KEYS[4] sg:{P}:push:{id}  KEYS[5] sg:{P}:notify:events
-- ARGV[1] the prefix sg:{P}:  ARGV[2] push id  ARGV[3] template  ARGV[4] params (JSON)  ARGV[5] now (ms)
-- ARGV[6] event entry id ('' none)  ARGV[7] consumer group
-- then five per message: sealed phone, phone hash, masked phone, village, registration code
-- Derived keys (same hash slot): P..'notify:message:'..{mid}, mid from INCR.
local P, queued = ARGV[1], 0
for i = 8, #ARGV - 4, 5 do
  if redis.call('SADD', KEYS[3], ARGV[i + 1]) == 1 then
    local mid = tostring(redis.call('INCR', KEYS[1]))
    redis.call('HSET', P .. 'notify:message:' .. mid, 'mid', mid, 'kind', ARGV[3], 'phone', ARGV[i], 'ph', ARGV[i + 1],
      'pm', ARGV[i + 2], 'scope', ARGV[i + 3], 'code', ARGV[i + 4], 'params', ARGV[4], 'push', ARGV[2],
      'attempts', 0, 'created', ARGV[5], 'status', 'queued')
    redis.call('XADD', KEYS[2], '*', 'mid', mid)
    queued = queued + 1
  end
end
redis.call('HINCRBY', KEYS[4], 'queued', queued)
redis.call('EXPIRE', KEYS[3], 2592000) -- the phone hashes of a push: 30 days after its last message
if ARGV[6] ~= '' then
  redis.call('XACK', KEYS[5], ARGV[7], ARGV[6])
  redis.call('XDEL', KEYS[5], ARGV[6])
end
return queued
