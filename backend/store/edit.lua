-- Replace a registration's content atomically (layout: docs/redis-keys.md): claim the
-- ID numbers it gains (SET NX, undone on a clash), free the ones it loses, take back the
-- counters it added ("counted") from the old village and county and add the new ones,
-- move its index entry if the village changed. Nothing changes unless all of it does.
-- seats.lua (and with it the script's first line, #!lua) comes first, then fold_lib.lua:
-- pending sign-ups are folded first, so that the counters and indexes it moves this one in
-- hold it.
-- KEYS[1] sg:{P}:reg:{code}
-- ARGV[1] the village the caller checked the scope of  ARGV[2] new village  ARGV[3] n people
-- ARGV[4] new data (JSON, numbers sealed)  ARGV[5] new counted  ARGV[6] '1': reset flag_checked
-- ARGV[7] new "{city}:{day}:{flex}:{mode}" for the open index (signup.lua ARGV[9])
-- ARGV[8] the key prefix sg:{P}:  ARGV[9..8+n] keyed hashes of the new ID numbers
-- Derived keys (the caller knows the code only; the campaign, villages and old ID numbers
-- come from the record; all in the hash slot of the prefix's tag, as KEYS[1]), with
-- P = ARGV[8] and C = the record's campaign:
--   P..C..':assign'  P..'uid:'..C..':'..{hash}  P..C..':stats:'..{old and new village}
--   P..C..':stats:'..{their counties}  P..C..':byplace'  P..C..':open'
--   P..'fold' and what folding its entries derives (fold_lib.lua)
--   and through trip_lock (seats.lua): P..'vehicle:'..{id}, P..'vehicle:'..{id}..':boarded';
--   P..'open:changes' (open_changed)
-- A registration already in a vehicle is not edited ('assigned'): take it out first; one
-- that has checked in or whose vehicle has left never again ('boarded', 'departed').
fold_all(ARGV[8] .. 'fold', ARGV[8])
local h = redis.call('HMGET', KEYS[1], 'campaign', 'village', 'status', 'data', 'counted', 'open', 'people')
if not h[1] then
  return {'missing'}
end
if h[3] == 'cancelled' then
  return {'already_cancelled'}
end
if h[2] ~= ARGV[1] then
  return {'changed'}
end
local P = ARGV[8]
local code = string.sub(KEYS[1], -8) -- the key's last 8 characters: its code
local vid = assigned_to(P, h[1], code)
if vid then
  return {trip_lock(P, vid, code) or 'assigned'}
end
local campaign = h[1]
local uid = P .. 'uid:' .. campaign .. ':'
local old, new, claimed = {}, {}, {}
for _, p in ipairs(cjson.decode(h[4]).people) do
  old[p.h or p.idh] = true
end
for i = 1, tonumber(ARGV[3]) do
  local idh = ARGV[8 + i]
  new[idh] = true
  if not old[idh] then
    if not redis.call('SET', uid .. idh, code, 'NX') then
      for _, k in ipairs(claimed) do
        redis.call('DEL', k)
      end
      return {'duplicate', tostring(i - 1)}
    end
    claimed[#claimed + 1] = uid .. idh
  end
end
for idh in pairs(old) do
  if not new[idh] and redis.call('GET', uid .. idh) == code then
    redis.call('DEL', uid .. idh)
  end
end
-- Add sign * the counters of counted (fold_counted) to the village and its county.
local function count(village, counted, people, sign)
  local keys = {P .. campaign .. ':stats:' .. village, P .. campaign .. ':stats:' .. string.sub(village, 1, 6)}
  fold_counted(counted, people, function(field, n)
    for _, k in ipairs(keys) do
      if redis.call('HINCRBY', k, field, sign * n) == 0 then
        redis.call('HDEL', k, field)
      end
    end
  end)
end
count(h[2], h[5], h[7], -1)
count(ARGV[2], ARGV[5], ARGV[3], 1)
if h[2] ~= ARGV[2] then
  redis.call('ZREM', P .. campaign .. ':byplace', h[2] .. ':' .. code)
  redis.call('ZADD', P .. campaign .. ':byplace', 0, ARGV[2] .. ':' .. code)
end
local open = ARGV[2] .. ':' .. code .. ':' .. ARGV[7] .. ':' .. ARGV[3]
if h[6] and redis.call('ZREM', P .. campaign .. ':open', h[6]) == 1 then
  open_changed(P, campaign)
end
redis.call('ZADD', P .. campaign .. ':open', 0, open)
redis.call('HSET', KEYS[1], 'village', ARGV[2], 'people', ARGV[3], 'data', ARGV[4], 'counted', ARGV[5], 'open', open)
if ARGV[6] == '1' then
  redis.call('HSET', KEYS[1], 'flag_checked', '0')
end
return {'ok'}
