#!lua
-- Store one sign-up atomically: every check comes before the writes it guards, and a
-- failed uniqueness check undoes the keys this call set, so that nothing partial is ever
-- stored. Layout: docs/redis-keys.md. Each redis.call costs about 3 us here: keep them few.
-- KEYS[1] sg:{P}:reg:{code}            the registration hash
-- KEYS[2] sg:{P}:idem:{key}            idempotency key: the client's, or one the server made
-- KEYS[3] sg:{P}:{campaign}:byplace    ZSET, score 0, member "{village}:{code}" (scope ranges by ZRANGEBYLEX)
-- KEYS[4] sg:{P}:{campaign}:stats:{village}  HASH of counters (docs/redis-keys.md)
-- KEYS[5] sg:{P}:{campaign}:stats:{county}   the same for the village's county
-- KEYS[6] sg:{P}:{campaign}:open       ZSET of the registrations still to be matched
-- KEYS[7] sg:{P}:limit:signup:{address} the client address's attempts (limit.lua's counters)
-- KEYS[8..7+n] sg:{P}:uid:{campaign}:{keyed hash of the ID number}, one per person
-- ARGV[1] n people  ARGV[2] code  ARGV[3] this attempt's id  ARGV[4] created ms  ARGV[5] village
-- ARGV[6] campaign  ARGV[7] the registration's data (JSON, personal numbers sealed)
-- ARGV[8] the counters as "field n field n ..." (kept, so a cancel takes back exactly these)
-- ARGV[9] what matching needs, "{city}:{day}:{flex}:{mode}" (day: days since 1970-01-01, mode:
--         enum sg_mode): the member "{village}:{code}:{ARGV[9]}:{n}" goes into the open index
--         KEYS[6] and into the hash as 'open' (docs/redis-keys.md)
-- ARGV[10] the key prefix sg:{P}:  ARGV[11] the body's keyed hash  ARGV[12] the idempotency
-- key's life (s; 0: no key, for made-up data)  ARGV[13] the address's limit (0: none)  ARGV[14] its window (ms)
-- ARGV[15..] the same counters as field, n arguments
-- The idempotency key holds "{code} {body hash}" once stored, or "void:{attempt id}" when
-- the server, after losing an attempt's answer, decided that attempt must not happen
-- (idem_resolve.lua): that attempt then stores nothing; another one goes on.
-- Derived key (in the hash slot of the prefix's tag, as every key): on a replay, the
-- registration the idempotency key names, ARGV[10] .. 'reg:' .. (the code KEYS[2] holds).
local n = tonumber(ARGV[1])
local prev = redis.call('GET', KEYS[2])
if prev then
  if prev == 'void:' .. ARGV[3] then
    return {'void'}
  end
  if string.sub(prev, 1, 5) ~= 'void:' then
    local code, hash = string.match(prev, '^(%S+) ?(%S*)$')
    if hash ~= '' and hash ~= ARGV[11] then
      return {'mismatch'}
    end
    return {'replayed', code, redis.call('HGET', ARGV[10] .. 'reg:' .. code, 'people') or '0'}
  end
end
local limit = tonumber(ARGV[13])
if limit > 0 then
  local tries = redis.call('INCR', KEYS[7])
  if tries == 1 then
    redis.call('PEXPIRE', KEYS[7], ARGV[14])
  elseif tries > limit then
    return {'limited', tostring(redis.call('PTTL', KEYS[7]))}
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'code_taken'}
end
for i = 1, n do
  if not redis.call('SET', KEYS[7 + i], ARGV[2], 'NX') then
    for j = 1, i - 1 do
      redis.call('DEL', KEYS[7 + j])
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
for i = 15, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[4], ARGV[i], ARGV[i + 1])
  redis.call('HINCRBY', KEYS[5], ARGV[i], ARGV[i + 1])
end
if ARGV[12] ~= '0' then
  redis.call('SET', KEYS[2], ARGV[2] .. ' ' .. ARGV[11], 'EX', ARGV[12])
end
return {'ok', ARGV[2], ARGV[1]}
