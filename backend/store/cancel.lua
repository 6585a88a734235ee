-- Cancel one registration atomically: status "cancelled", every person's uniqueness key
-- freed (so the ID numbers may sign up again), the registration out of the place index,
-- the counters it added (its `counted` field) taken back from the village and county. Every check and read comes before the first write, so a
-- malformed record changes nothing. A second cancel changes nothing and says so.
-- Layout: docs/redis-keys.md. The campaign keys are named by the record itself (its
-- campaign, village and data.people[i].idh), as signup.lua's replay reads sg:reg:{prev}.
-- KEYS[1] sg:reg:{code}
-- ARGV[1] code  ARGV[2] cancelled at (ms since epoch)
local r = redis.call('HMGET', KEYS[1], 'status', 'campaign', 'village', 'counted', 'data')
if not r[1] then
  return {'missing'}
end
if r[1] == 'cancelled' then
  return {'already'}
end
local campaign, village, counted = r[2], r[3], r[4] or ''
local people = cjson.decode(r[5]).people
local uids = {}
for i, p in ipairs(people) do
  if type(p.idh) ~= 'string' or p.idh == '' then
    return redis.error_reply('registration ' .. ARGV[1] .. ' has a person without idh')
  end
  uids[i] = 'sg:uid:' .. campaign .. ':' .. p.idh
end
for _, uid in ipairs(uids) do
  -- only the claim this registration holds (a key is never re-claimed while it is held)
  if redis.call('GET', uid) == ARGV[1] then
    redis.call('DEL', uid)
  end
end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'cancelled', ARGV[2])
redis.call('ZREM', 'sg:' .. campaign .. ':byplace', village .. ':' .. ARGV[1])
local vkey = 'sg:' .. campaign .. ':stats:' .. village
local ckey = 'sg:' .. campaign .. ':stats:' .. string.sub(village, 1, 6)
for field, n in string.gmatch(counted, '(%S+) (%S+)') do
  redis.call('HINCRBY', vkey, field, -tonumber(n))
  redis.call('HINCRBY', ckey, field, -tonumber(n))
end
return {'ok'}
