#!lua
-- What a vehicle's passengers are told, kept and queued in one step (docs/redis-keys.md):
-- for each passenger whose told fingerprint is still the one the sender read (else a
-- later event syncs again), the new fingerprint (or none: forgotten), the reminder mark,
-- and a message in the outbox when one is due and they consented to SMS. The event that
-- asked for it is acknowledged and deleted in the same step.
-- KEYS[1] sg:{P}:notify:next  KEYS[2] sg:{P}:notify:outbox  KEYS[3] sg:{P}:notify:told:{vehicle}
-- KEYS[4] sg:{P}:notify:events
-- ARGV[1] the prefix sg:{P}:  ARGV[2] vehicle id  ARGV[3] now (ms)  ARGV[4] event entry id ('' none)
-- ARGV[5] consumer group
-- then nine per passenger: code, told before ('' none), told now ('' forget), template ('' none),
-- '1' when it is the reminder, sealed phone ('' none), phone hash, masked phone, village,
-- and (tenth) the parameters as JSON
-- Derived keys (same hash slot): P..'notify:message:'..{mid}, mid from INCR.
local P, queued = ARGV[1], 0
for i = 6, #ARGV - 9, 10 do
  local code, before, now, kind = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if (redis.call('HGET', KEYS[3], code) or '') == before then
    if now == '' then
      redis.call('HDEL', KEYS[3], code, code .. ':r')
    else
      redis.call('HSET', KEYS[3], code, now)
    end
    if ARGV[i + 4] == '1' then
      redis.call('HSET', KEYS[3], code .. ':r', '1')
    end
    if kind ~= '' and ARGV[i + 5] ~= '' then
      local mid = tostring(redis.call('INCR', KEYS[1]))
      redis.call('HSET', P .. 'notify:message:' .. mid, 'mid', mid, 'kind', kind, 'phone', ARGV[i + 5],
        'ph', ARGV[i + 6], 'pm', ARGV[i + 7], 'scope', ARGV[i + 8], 'code', code, 'params', ARGV[i + 9],
        'vehicle', ARGV[2], 'attempts', 0, 'created', ARGV[3], 'status', 'queued')
      redis.call('XADD', KEYS[2], '*', 'mid', mid)
      queued = queued + 1
    end
  end
end
redis.call('EXPIRE', KEYS[3], 15552000) -- 180 days after the last change
if ARGV[4] ~= '' then
  redis.call('XACK', KEYS[4], ARGV[5], ARGV[4])
  redis.call('XDEL', KEYS[4], ARGV[4])
end
return queued
