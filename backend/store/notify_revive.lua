#!lua
-- Staff send a dead letter again (docs/redis-keys.md): out of the dead letters, its
-- attempts reset, back into the outbox. Returns 1, or 0 when it is no longer a dead letter.
-- KEYS[1] sg:{P}:notify:dead  KEYS[2] sg:{P}:notify:outbox  KEYS[3] sg:{P}:notify:message:{mid}
-- ARGV[1] its member "{scope}:{mid}"  ARGV[2] mid
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[3], 'status', 'queued', 'attempts', 0)
redis.call('PERSIST', KEYS[3])
redis.call('XADD', KEYS[2], '*', 'mid', ARGV[2])
return 1
