#!lua
-- Store the sign-ups of one event-loop turn (registration.c sends them as one call), each
-- atomically and durably: what must hold before its 201 and nothing more. They run one
-- after the other, as separate calls would: each sees what the ones before it wrote (a
-- companion's ID number, an idempotency key), and each has its own answer. Every check comes
-- before the writes it guards, and a failed check undoes what this sign-up wrote, so that
-- nothing partial is ever stored. Then, with ARGV[3] '1', the stored ones are folded into
-- the indexes and counters in the same call (one ZADD per index; one HMGET+HSET per counter
-- hash, from the sums the server sent for the whole call less the sign-ups not stored), and
-- so are up to 1,000 entries another server left on the list; with '0' (SONGGONG_FOLD_MS=0,
-- a bulk load) they are pushed on sg:{P}:fold for a later fold (docs/redis-keys.md#the-fold).
-- Each redis.call costs Redis about 1-3 us, and so does each string Lua makes or takes
-- apart: keep both few (bench/RESULTS.md).
-- KEYS[1] sg:{P}:fold  LIST of the sign-ups no fold has taken yet
-- then for each sign-up, 3 + n keys (n its people):
--   sg:{P}:reg:{code}                     the registration hash
--   sg:{P}:idem:{key}                     idempotency key: the client's, or one the server made
--   sg:{P}:limit:signup:{address}         the client address's attempts (limit.lua's counters)
--   sg:{P}:uid:{campaign}:{keyed hash of the ID number}, one per person
-- ARGV[1] m sign-ups  ARGV[2] the key prefix sg:{P}:  ARGV[3] '1' fold them now, '0' push them
-- then for each sign-up, 13 arguments:
--   +1 n people  +2 code  +3 this attempt's id  +4 created ms  +5 village  +6 campaign
--   +7 the registration's data (JSON, personal numbers sealed)
--   +8 the counters as "field n field n ..." (kept, so a cancel takes back exactly these;
--      people and regs implied: fold_lib.lua's fold_counted)
--   +9 what matching needs, "{city}:{day}:{flex}:{mode}" (day: days since 1970-01-01, mode:
--      enum sg_mode): the member "{village}:{code}:{+9}:{n}" of the open index, kept in the
--      hash as 'open' (docs/redis-keys.md)
--   +10 the body's keyed hash  +11 the idempotency key's life (s; 0: no key, for made-up
--   data)  +12 the address's limit (0: none)  +13 its window (ms)
-- then the counters of all m as if every one is stored: h hashes ('0' with ARGV[3] '0'),
-- each as its name after the prefix "{campaign}:stats:{village or county}", k fields, the
-- k field names, the k sums (fields with a sum of 0 left out; each sign-up's +8 with
-- people and regs, added to its village's hash and its county's).
-- The idempotency key holds "{code} {body hash}" once stored, or "void:{attempt id}" when
-- the server, after losing an attempt's answer, decided that attempt must not happen
-- (idem_resolve.lua): that attempt then stores nothing; another one goes on.
-- Derived keys (in the hash slot of the prefix's tag, as every key): on a replay, the
-- registration the idempotency key names, P .. 'reg:' .. (the code the key holds); folding,
-- P .. {campaign} .. ':byplace' and ':open', and P .. (each counter hash's name).
-- Returns one answer per sign-up, in order: {'ok', code, people}, {'replayed', code,
-- people}, {'mismatch'}, {'void'}, {'limited', ms left}, {'code_taken'} or {'duplicate', i}.
local P, folding = ARGV[2], ARGV[3] == '1'
local items = {} -- not folding: the list's entries
local zsets, zorder = {}, {} -- folding: campaign -> {byplace members, open members}; the campaigns met
local unstored = {} -- folding: counter hash name -> field -> what the sign-ups not stored would have added

-- The sign-up whose keys start at KEYS[k] and arguments at ARGV[a].
local function signup(k, a)
  local n, code, life = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 10]
  local reg, idem, tries_key = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local answer = code .. ' ' .. ARGV[a + 9]
  local prev
  if life ~= '0' then
    -- claimed at once with this attempt's answer; what it held comes back (SET NX GET)
    prev = redis.call('SET', idem, answer, 'NX', 'GET', 'EX', life)
    if prev then
      if prev == 'void:' .. ARGV[a + 2] then
        return {'void'}
      end
      if string.sub(prev, 1, 5) ~= 'void:' then
        local was, hash = string.match(prev, '^(%S+) ?(%S*)$')
        if hash ~= '' and hash ~= ARGV[a + 9] then
          return {'mismatch'}
        end
        return {'replayed', was, redis.call('HGET', P .. 'reg:' .. was, 'people') or '0'}
      end
      redis.call('SET', idem, answer, 'EX', life) -- another attempt was voided
    end
  end
  -- Nothing stored after all: the idempotency key goes back to what it held.
  local function undo()
    if life == '0' then
      return
    elseif prev then
      redis.call('SET', idem, prev, 'EX', life)
    else
      redis.call('DEL', idem)
    end
  end
  local limit = tonumber(ARGV[a + 11])
  if limit > 0 then
    local tries = redis.call('INCR', tries_key)
    if tries == 1 then
      redis.call('PEXPIRE', tries_key, ARGV[a + 12])
    elseif tries > limit then
      undo()
      return {'limited', tostring(redis.call('PTTL', tries_key))}
    end
  end
  if redis.call('EXISTS', reg) == 1 then
    undo()
    return {'code_taken'}
  end
  for i = 1, n do
    if not redis.call('SET', KEYS[k + 2 + i], code, 'NX') then
      for j = 1, i - 1 do
        redis.call('DEL', KEYS[k + 2 + j])
      end
      undo()
      return {'duplicate', tostring(i - 1)}
    end
  end
  local village, campaign = ARGV[a + 4], ARGV[a + 5]
  local open = village .. ':' .. code .. ':' .. ARGV[a + 8] .. ':' .. ARGV[a]
  redis.call('HSET', reg, 'campaign', campaign, 'village', village, 'status', 'registered', 'created', ARGV[a + 3],
    'people', ARGV[a], 'data', ARGV[a + 6], 'counted', ARGV[a + 7], 'open', open)
  if folding then
    local z = zsets[campaign]
    if not z then
      z = {{}, {}}
      zsets[campaign] = z
      zorder[#zorder + 1] = campaign
    end
    z[1][#z[1] + 1] = village .. ':' .. code
    z[2][#z[2] + 1] = open
  else
    items[#items + 1] = campaign .. ' ' .. open .. ' ' .. ARGV[a + 7]
  end
  return {'ok', code, ARGV[a]}
end

-- The server's sums count every sign-up of the call: take back the share of the one whose
-- arguments start at ARGV[a], which was not stored (its village's hash and its county's).
local function unstore(a)
  local village, campaign = ARGV[a + 4], ARGV[a + 5]
  for _, name in ipairs({campaign .. ':stats:' .. village, campaign .. ':stats:' .. string.sub(village, 1, 6)}) do
    local f = unstored[name] or {}
    unstored[name] = f
    fold_counted(ARGV[a + 7], ARGV[a], function(field, n)
      f[field] = (f[field] or 0) + n
    end)
  end
end

local answers, k, a = {}, 2, 4
for i = 1, tonumber(ARGV[1]) do
  answers[i] = signup(k, a)
  if folding and answers[i][1] ~= 'ok' then
    unstore(a)
  end
  k = k + 3 + tonumber(ARGV[a])
  a = a + 13
end
if not folding then
  for i = 1, #items, 1000 do
    redis.call('RPUSH', KEYS[1], unpack(items, i, math.min(i + 999, #items)))
  end
  return answers
end
for _, c in ipairs(zorder) do
  fold_zadd(P .. c .. ':byplace', zsets[c][1])
  fold_zadd(P .. c .. ':open', zsets[c][2])
end
for _ = 1, tonumber(ARGV[a]) do
  local name, nf = ARGV[a + 1], tonumber(ARGV[a + 2])
  local f0, s0 = a + 3, a + 3 + nf
  local now = nf > 0 and redis.call('HMGET', P .. name, unpack(ARGV, f0, s0 - 1)) or {}
  local minus, args, n = unstored[name] or {}, {}, 0
  for j = 0, nf - 1 do
    local field, sum, was = ARGV[f0 + j], ARGV[s0 + j], now[j + 1]
    local less = minus[field]
    if not was and not less then
      args[n + 1], args[n + 2], n = field, sum, n + 2 -- (a new field: the server's text as it is)
    else
      local add = tonumber(sum) - (less or 0)
      if add ~= 0 then
        args[n + 1], args[n + 2], n = field, string.format('%d', (tonumber(was) or 0) + add), n + 2 -- (fold_lib.lua says why)
      end
    end
  end
  if n > 0 then
    redis.call('HSET', P .. name, unpack(args))
  end
  a = a + 2 + 2 * nf
end
fold(KEYS[1], P, 1000) -- what a server folding only on reads left (one LRANGE when none)
return answers
