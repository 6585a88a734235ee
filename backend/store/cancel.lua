-- Cancel a registration atomically (layout: docs/redis-keys.md): free its ID numbers,
-- take back the counters it added ("counted") from its village and county, move its
-- index entry from byplace to cancelled, and record who and when. Used by staff and by
-- the worker's own cancel; a second cancel changes nothing. Refused once the group has
-- checked in ('boarded') or its vehicle has left ('departed'): the trip happened.
-- seats.lua (and with it the script's first line, #!lua) comes first, then fold_lib.lua:
-- pending sign-ups are folded first, so that the counters and indexes it takes this one
-- out of hold it.
-- KEYS[1] sg:{P}:reg:{code}
-- ARGV[1] who cancels (a staff user name, or "worker")  ARGV[2] now, ms since the epoch
-- ARGV[3] the key prefix sg:{P}:
-- Derived keys (the caller knows the code only; the campaign, village, ID numbers and
-- seat come from the record; all in the hash slot of the prefix's tag, as KEYS[1]), with
-- P = ARGV[3] and C = the record's campaign:
--   P..'uid:'..C..':'..{hash}  P..C..':stats:'..{village}  P..C..':stats:'..{county}
--   P..C..':open'  P..C..':byplace'  P..C..':cancelled'
--   P..'fold' and what folding its entries derives (fold_lib.lua)
--   and through trip_lock and assignment_drop (seats.lua): P..C..':assign', P..'vehicle:'..{id},
--   P..'vehicle:'..{id}..':seats', P..'vehicle:'..{id}..':boarded', P..'reg:'..{code},
--   P..C..':stats:'..{village, county}; P..'open:changes' (open_changed)
fold_all(ARGV[3] .. 'fold', ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'campaign', 'village', 'status', 'data', 'counted', 'people', 'open')
if not h[1] then
  return {'missing'}
end
if h[3] == 'cancelled' then
  return {'already_cancelled'}
end
local P, campaign, village, code = ARGV[3], h[1], h[2], string.sub(KEYS[1], -8) -- the key's last 8: its code
local lock = trip_lock(P, assigned_to(P, campaign, code), code)
if lock then
  return {lock}
end
for _, p in ipairs(cjson.decode(h[4]).people) do
  local k = P .. 'uid:' .. campaign .. ':' .. (p.h or p.idh)
  if redis.call('GET', k) == code then
    redis.call('DEL', k)
  end
end
local keys = {P .. campaign .. ':stats:' .. village, P .. campaign .. ':stats:' .. string.sub(village, 1, 6)}
fold_counted(h[5], h[6], function(field, n)
  for _, k in ipairs(keys) do
    if redis.call('HINCRBY', k, field, -n) == 0 then
      redis.call('HDEL', k, field)
    end
  end
end)
-- its seat, if it had one, is freed (seats.lua), and it leaves the open index for good: a
-- cancelled registration is never matched
assignment_drop(P, campaign, code, tonumber(h[6]), h[5], village)
if h[7] and redis.call('ZREM', P .. campaign .. ':open', h[7]) == 1 then
  open_changed(P, campaign)
end
redis.call('ZREM', P .. campaign .. ':byplace', village .. ':' .. code)
redis.call('ZADD', P .. campaign .. ':cancelled', 0, village .. ':' .. code)
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'cancelled_by', ARGV[1], 'cancelled_at', ARGV[2])
return {'ok', village}
