#!lua
-- Store one sign-up atomically and durably: what must hold before the 201 and nothing
-- more. Every check comes before the writes it guards, and a failed check undoes what this
-- call wrote, so that nothing partial is ever stored. The indexes and counters are brought
-- up to date by the fold (fold_lib.lua), in batches, from the entry this script pushes on
-- sg:{P}:fold; every read of them folds first (docs/redis-keys.md#the-fold).
-- Each redis.call costs Redis about 1-3 us: keep them few (bench/RESULTS.md).
-- KEYS[1] sg:{P}:reg:{code}            the registration hash
-- KEYS[2] sg:{P}:idem:{key}            idempotency key: the client's, or one the server made
-- KEYS[3] sg:{P}:limit:signup:{address} the client address's attempts (limit.lua's counters)
-- KEYS[4] sg:{P}:fold                  LIST of the sign-ups the fold has not taken yet
-- KEYS[5..4+n] sg:{P}:uid:{campaign}:{keyed hash of the ID number}, one per person
-- ARGV[1] n people  ARGV[2] code  ARGV[3] this attempt's id  ARGV[4] created ms  ARGV[5] village
-- ARGV[6] campaign  ARGV[7] the registration's data (JSON, personal numbers sealed)
-- ARGV[8] the counters as "field n field n ..." (kept, so a cancel takes back exactly these)
-- ARGV[9] what matching needs, "{city}:{day}:{flex}:{mode}" (day: days since 1970-01-01, mode:
--         enum sg_mode): the member "{village}:{code}:{ARGV[9]}:{n}" of the open index, kept
--         in the hash as 'open' (docs/redis-keys.md)
-- ARGV[10] the key prefix sg:{P}:  ARGV[11] the body's keyed hash  ARGV[12] the idempotency
-- key's life (s; 0: no key, for made-up data)  ARGV[13] the address's limit (0: none)  ARGV[14] its window (ms)
-- The idempotency key holds "{code} {body hash}" once stored, or "void:{attempt id}" when
-- the server, after losing an attempt's answer, decided that attempt must not happen
-- (idem_resolve.lua): that attempt then stores nothing; another one goes on.
-- Derived key (in the hash slot of the prefix's tag, as every key): on a replay, the
-- registration the idempotency key names, ARGV[10] .. 'reg:' .. (the code KEYS[2] holds).
local n = tonumber(ARGV[1])
local life = ARGV[12]
local prev
if life ~= '0' then
  -- claimed at once with this attempt's answer; what it held comes back (SET NX GET)
  prev = redis.call('SET', KEYS[2], ARGV[2] .. ' ' .. ARGV[11], 'NX', 'GET', 'EX', life)
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
    redis.call('SET', KEYS[2], ARGV[2] .. ' ' .. ARGV[11], 'EX', life) -- another attempt was voided
  end
end
-- Nothing stored after all: the idempotency key goes back to what it held.
local function undo()
  if life == '0' then
    return
  elseif prev then
    redis.call('SET', KEYS[2], prev, 'EX', life)
  else
    redis.call('DEL', KEYS[2])
  end
end
local limit = tonumber(ARGV[13])
if limit > 0 then
  local tries = redis.call('INCR', KEYS[3])
  if tries == 1 then
    redis.call('PEXPIRE', KEYS[3], ARGV[14])
  elseif tries > limit then
    undo()
    return {'limited', tostring(redis.call('PTTL', KEYS[3]))}
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  undo()
  return {'code_taken'}
end
for i = 1, n do
  if not redis.call('SET', KEYS[4 + i], ARGV[2], 'NX') then
    for j = 1, i - 1 do
      redis.call('DEL', KEYS[4 + j])
    end
    undo()
    return {'duplicate', tostring(i - 1)}
  end
end
local open = ARGV[5] .. ':' .. ARGV[2] .. ':' .. ARGV[9] .. ':' .. ARGV[1]
redis.call('HSET', KEYS[1], 'campaign', ARGV[6], 'village', ARGV[5], 'status', 'registered', 'created', ARGV[4],
  'people', ARGV[1], 'data', ARGV[7], 'counted', ARGV[8], 'open', open)
redis.call('RPUSH', KEYS[4], ARGV[6] .. ' ' .. open .. ' ' .. ARGV[8])
return {'ok', ARGV[2], ARGV[1]}
