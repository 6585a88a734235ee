#!lua
-- Store one sign-up atomically: every check comes before the writes it guards, and a
-- failed uniqueness check undoes the keys this call set, so that nothing partial is ever
-- stored. Layout: docs/redis-keys.md. Each redis.call costs about 3 us here: keep them few.
-- KEYS[1] sg:{P}:reg:{code}            the registration hash
-- KEYS[2] sg:{P}:idem:{key}            idempotency key (ARGV[3] == '1' when used)
-- KEYS[3] sg:{P}:{campaign}:byplace    ZSET, score 0, member "{village}:{code}" (scope ranges by ZRANGEBYLEX)
-- KEYS[4] sg:{P}:{campaign}:stats:{village}  HASH of counters (docs/redis-keys.md)
-- KEYS[5] sg:{P}:{campaign}:stats:{county}   the same for the village's county
-- KEYS[6] sg:{P}:{campaign}:open       ZSET of the registrations still to be matched
-- KEYS[7..6+n] sg:{P}:uid:{campaign}:{keyed hash of the ID number}, one per person
-- ARGV[1] n people  ARGV[2] code  ARGV[3] idem flag  ARGV[4] created ms  ARGV[5] village
-- ARGV[6] campaign  ARGV[7] the registration's data (JSON, personal numbers sealed)
-- ARGV[8] the counters as "field n field n ..." (kept, so a cancel takes back exactly these)
-- ARGV[9] what matching needs, "{city}:{day}:{flex}:{mode}" (day: days since 1970-01-01, mode:
--         enum sg_mode): the member "{village}:{code}:{ARGV[9]}:{n}" goes into the open index
--         KEYS[6] and into the hash as 'open' (docs/redis-keys.md)
-- ARGV[10] the key prefix sg:{P}:  ARGV[11..] the same counters as field, n arguments
-- Derived key (in the hash slot of the prefix's tag, as every key): on a replay, the
-- registration the idempotency key names, ARGV[10] .. 'reg:' .. (the code KEYS[2] holds).
local n = tonumber(ARGV[1])
if ARGV[3] == '1' then
  local prev = redis.call('GET', KEYS[2])
  if prev then
    return {'replayed', prev, redis.call('HGET', ARGV[10] .. 'reg:' .. prev, 'people') or '0'}
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'code_taken'}
end
for i = 1, n do
  if not redis.call('SET', KEYS[6 + i], ARGV[2], 'NX') then
    for j = 1, i - 1 do
      redis.call('DEL', KEYS[6 + j])
    end
    return {'duplicate', tostring(i - 1)}
  end
end
local village = ARGV[5]
local open = village .. ':' .. ARGV[2] .. ':' .. ARGV[9] .. ':' .. ARGV[1]
redis.call('HSET', KEYS[1], 'code', ARGV[2], 'campaign', ARGV[6], 'village', village, 'status', 'registered',
  'created', ARGV[4], 'people', ARGV[1], 'data', ARGV[7], 'counted', ARGV[8], 'open', open)
redis.call('ZADD', KEYS[3], 0, village .. ':' .. ARGV[2])
redis.call('ZADD', KEYS[6], 0, open)
for i = 11, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[4], ARGV[i], ARGV[i + 1])
  redis.call('HINCRBY', KEYS[5], ARGV[i], ARGV[i + 1])
end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[2], ARGV[2], 'EX', 86400)
end
return {'ok', ARGV[2], ARGV[1]}
