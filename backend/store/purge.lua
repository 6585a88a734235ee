#!lua
-- Delete one batch of a campaign's data (retention: docs/redis-keys.md). Called again
-- until it answers 'done'; each call is atomic and the whole is safe to repeat.
-- Order: registrations (via their indexes), vehicles, then every other key of the
-- campaign found by SCAN (uniqueness keys, counters, indexes), the SCAN cursor kept in
-- KEYS[4]. Audit entries stay: they hold no ID or phone number.
-- KEYS[1] sg:{P}:{campaign}:byplace  KEYS[2] sg:{P}:{campaign}:cancelled
-- KEYS[3] sg:{P}:{campaign}:vehicles  KEYS[4] sg:{P}:purge:{campaign}
-- ARGV[1] campaign  ARGV[2] batch size  ARGV[3] the key prefix sg:{P}:
-- Derived keys (from the indexes and SCAN; all in the hash slot of the prefix's tag, as
-- KEYS), P = ARGV[3], C = ARGV[1]: P..'reg:'..{code}, P..'vehicle:'..{id} and its
-- ':seats' and ':boarded', and what SCAN finds for P..'uid:'..C..':*' and P..C..':*';
-- P..'open:changes'.
local P, c, n = ARGV[3], ARGV[1], tonumber(ARGV[2])
local deleted = 0
-- what an accept of the campaign read is no longer true (seats.lua's open_changed; the
-- hash is not the campaign's, so its count never goes back)
redis.call('HINCRBY', P .. 'open:changes', c, 1)
for i = 1, 2 do
  local key = KEYS[i]
  local members = redis.call('ZRANGE', key, 0, n - 1)
  for _, m in ipairs(members) do
    local code = string.match(m, ':([^:]+)$')
    deleted = deleted + redis.call('DEL', P .. 'reg:' .. code)
    redis.call('ZREM', key, m)
  end
  if #members > 0 then
    return {'more', deleted}
  end
end
local vehicles = redis.call('ZRANGE', KEYS[3], 0, n - 1)
for _, m in ipairs(vehicles) do
  local vkey = P .. 'vehicle:' .. string.match(m, ':([^:]+)$')
  deleted = deleted + redis.call('DEL', vkey, vkey .. ':seats', vkey .. ':boarded')
  redis.call('ZREM', KEYS[3], m)
end
if #vehicles > 0 then
  return {'more', deleted}
end
local state = redis.call('GET', KEYS[4]) or '1 0'
local phase, cursor = string.match(state, '^(%d) (%d+)$')
local patterns = {P .. 'uid:' .. c .. ':*', P .. c .. ':*'}
for i = tonumber(phase), #patterns do
  local r = redis.call('SCAN', cursor, 'MATCH', patterns[i], 'COUNT', n)
  for _, k in ipairs(r[2]) do
    deleted = deleted + redis.call('DEL', k)
  end
  if r[1] ~= '0' then
    redis.call('SET', KEYS[4], i .. ' ' .. r[1])
    return {'more', deleted}
  end
  cursor = '0'
end
redis.call('DEL', KEYS[4])
return {'done', deleted}
