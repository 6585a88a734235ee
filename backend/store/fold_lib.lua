#!lua
-- fold_lib.lua: the fold of sign-ups into the indexes and counters, shared by fold.lua, by
-- signup.lua and by the scripts that change a registration (edit, cancel): they fold
-- everything pending first, so that they always find a registration in its indexes and
-- counted. The build puts it in front of each (its first line, #!lua, is theirs;
-- docs/redis-keys.md#the-fold).
-- signup.lua stores registrations, their uniqueness keys and idempotency keys, and either
-- folds them in the same call (with the counters the server summed; fold_counted for the
-- ones it did not store) or pushes "{campaign} {open member} {counted}" on the list
-- sg:{P}:fold for later; a fold takes up to max entries from its head and, in
-- the same atomic step, adds them to byplace and open (one ZADD per index and batch) and
-- to the counters of their villages and counties (one HMGET and one HSET per counter hash
-- and batch), then trims them off the list. So an entry is folded exactly once: a fold that
-- did not run left the list as it was, and a second fold finds the next entries or none.
-- Derived keys (all under the prefix P, the slot of its tag), C the entry's campaign:
--   P..C..':byplace'  P..C..':open'  P..C..':stats:'..{village}  P..C..':stats:'..{county}

-- key -> list of values, keys in the order first met (the writes come out the same way).
local function fold_group()
  return {keys = {}, vals = {}}
end

local function fold_put(g, key, v)
  local t = g.vals[key]
  if not t then
    t = {}
    g.vals[key] = t
    g.keys[#g.keys + 1] = key
  end
  t[#t + 1] = v
end

-- Add n to field of the counter hash key (counts[key] = {fields = {...}, n = {field = n}}).
local function fold_count(counts, key, field, n)
  local c = counts.vals[key]
  if not c then
    c = {fields = {}, n = {}}
    counts.vals[key] = c
    counts.keys[#counts.keys + 1] = key
  end
  if not c.n[field] then
    c.fields[#c.fields + 1] = field
    c.n[field] = 0
  end
  c.n[field] = c.n[field] + n
end

-- Call fn(field, n) for every counter of a registration of people people whose 'counted' is
-- counted ("field n field n ..."): people and regs are implied (people, 1) unless counted
-- names them (layout 3 wrote them out).
local function fold_counted(counted, people, fn)
  local named = false
  for f, n in string.gmatch(counted or '', '(%S+) (%S+)') do
    named = named or f == 'people'
    fn(f, tonumber(n) or 0)
  end
  if not named then
    fn('people', tonumber(people) or 0)
    fn('regs', 1)
  end
end

-- ZADD key 0 m1 0 m2 ..., 500 members a call (unpack's limit is far above). The score is
-- the string '0': a number Lua would format again for every member.
local function fold_zadd(key, members)
  for i = 1, #members, 500 do
    local args = {}
    for j = i, math.min(i + 499, #members) do
      args[#args + 1] = '0'
      args[#args + 1] = members[j]
    end
    redis.call('ZADD', key, unpack(args))
  end
end

-- (Counts go to Redis as text made here, string.format('%d'): a Lua number would be formatted
-- by Redis with '%.17g', several times slower, and there are a few a sign-up.)
local function fold_add_counts(key, c)
  local now = redis.call('HMGET', key, unpack(c.fields))
  local args = {}
  for i, f in ipairs(c.fields) do
    args[2 * i - 1] = f
    args[2 * i] = string.format('%d', (tonumber(now[i]) or 0) + c.n[f])
  end
  redis.call('HSET', key, unpack(args))
end

-- Fold entries ("{campaign} {open member} {counted}", as signup.lua makes them) into the
-- indexes and counters: one ZADD per index and one HMGET+HSET per counter hash for them all.
local function fold_items(items, P)
  local zsets, counts = fold_group(), fold_group()
  for _, it in ipairs(items) do
    local c, open, counted = string.match(it, '^(%S+) (%S+) ?(.*)$')
    local village, code = string.match(open or '', '^(%d+):([^:]+):')
    if village then
      fold_put(zsets, P .. c .. ':byplace', village .. ':' .. code)
      fold_put(zsets, P .. c .. ':open', open)
      local vk, ck = P .. c .. ':stats:' .. village, P .. c .. ':stats:' .. string.sub(village, 1, 6)
      fold_counted(counted, string.match(open, ':(%d+)$'), function(f, n)
        if n ~= 0 then
          fold_count(counts, vk, f, n)
          fold_count(counts, ck, f, n)
        end
      end)
    end
  end
  for _, k in ipairs(zsets.keys) do
    fold_zadd(k, zsets.vals[k])
  end
  for _, k in ipairs(counts.keys) do
    fold_add_counts(k, counts.vals[k])
  end
end

-- Fold up to max entries of the list; returns how many were folded.
local function fold(list, P, max)
  local items = redis.call('LRANGE', list, 0, max - 1)
  if #items == 0 then
    return 0
  end
  fold_items(items, P)
  redis.call('LTRIM', list, #items, -1)
  return #items
end

-- Fold everything pending (a change of one registration must find it folded).
local function fold_all(list, P)
  while fold(list, P, 1000) == 1000 do
  end
end
