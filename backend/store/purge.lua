-- Delete one batch of a campaign's data (retention: docs/redis-keys.md). Called again
-- until it answers 'done'; each call is atomic and the whole is safe to repeat.
-- Order: registrations (via their indexes), vehicles, then every other key of the
-- campaign found by SCAN (uniqueness keys sg:uid:{campaign}:*, counters, indexes),
-- the SCAN cursor kept in sg:purge:{campaign}. Audit entries stay: they hold no ID or
-- phone number.
-- ARGV[1] campaign  ARGV[2] batch size
local c, n = ARGV[1], tonumber(ARGV[2])
local deleted = 0
for _, idx in ipairs({'byplace', 'cancelled'}) do
  local key = 'sg:' .. c .. ':' .. idx
  local members = redis.call('ZRANGE', key, 0, n - 1)
  for _, m in ipairs(members) do
    local code = string.match(m, ':([^:]+)$')
    deleted = deleted + redis.call('DEL', 'sg:reg:' .. code)
    redis.call('ZREM', key, m)
  end
  if #members > 0 then
    return {'more', deleted}
  end
end
local vkey = 'sg:' .. c .. ':vehicles'
local vehicles = redis.call('ZRANGE', vkey, 0, n - 1)
for _, m in ipairs(vehicles) do
  local id = string.match(m, ':([^:]+)$')
  deleted = deleted + redis.call('DEL', 'sg:vehicle:' .. id, 'sg:vehicle:' .. id .. ':seats',
    'sg:vehicle:' .. id .. ':boarded')
  redis.call('ZREM', vkey, m)
end
if #vehicles > 0 then
  return {'more', deleted}
end
local ckey = 'sg:purge:' .. c
local state = redis.call('GET', ckey) or '1 0'
local phase, cursor = string.match(state, '^(%d) (%d+)$')
local patterns = {'sg:uid:' .. c .. ':*', 'sg:' .. c .. ':*'}
for i = tonumber(phase), #patterns do
  local r = redis.call('SCAN', cursor, 'MATCH', patterns[i], 'COUNT', n)
  for _, k in ipairs(r[2]) do
    deleted = deleted + redis.call('DEL', k)
  end
  if r[1] ~= '0' then
    redis.call('SET', ckey, i .. ' ' .. r[1])
    return {'more', deleted}
  end
  cursor = '0'
end
redis.call('DEL', ckey)
return {'done', deleted}
