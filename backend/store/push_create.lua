#!lua
-- Store a job push and queue its expansion into messages for the sender, in one step
-- (docs/redis-keys.md): the sender reads the event, reads the target group again and
-- queues one message per phone (notify_enqueue.lua).
-- KEYS[1] sg:{P}:pushes:next  KEYS[2] sg:{P}:pushes (ZSET "{scope}:{id}")  KEYS[3] sg:{P}:notify:events
-- ARGV[1] the prefix sg:{P}:  ARGV[2] scope  ARGV[3..] field, value pairs of the push
-- Derived keys (same hash slot): P..'push:'..id of the id INCR gives.
-- Returns the id.
local id = tostring(redis.call('INCR', KEYS[1]))
redis.call('HSET', ARGV[1] .. 'push:' .. id, 'id', id, 'queued', 0, 'sent', 0, unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], 0, ARGV[2] .. ':' .. id)
redis.call('XADD', KEYS[3], '*', 'kind', 'push', 'id', id)
return id
