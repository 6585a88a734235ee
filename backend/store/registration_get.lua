#!lua flags=no-writes
-- One registration as HGETALL gives it, with its code ('code', from the key: layout 4
-- keeps no field of it) and its assignment (docs/redis-keys.md): when
-- the campaign's assignment hash holds the code, 'status' 'assigned', 'vehicle', 'seat',
-- 'trip' (assigned, boarded, departed, arrived or no_show, from the vehicle's status and
-- its check-ins) and 'notified' ('1' when the village told the person of this vehicle,
-- else '0') follow (a reader keeps the last value of a field). The registration hash
-- itself never holds them: a batch of matching then writes one hash field per
-- registration, not two keys.
-- KEYS[1] sg:{P}:reg:{code}, or with ARGV[2] 'uid' the uniqueness key
--   sg:{P}:uid:{campaign}:{hash} of an ID number (a worker who lost the code)
-- ARGV[1] the key prefix sg:{P}:  ARGV[3] (with 'uid') the registration key prefix sg:{P}:reg:
-- Derived keys (the caller knows the code or the ID number only; same hash slot as
-- KEYS[1], the prefix's tag): ARGV[3] .. {the code the uniqueness key holds};
-- ARGV[1] .. {the record's campaign} .. ':assign', and of the vehicle it is on,
-- ARGV[1] .. 'vehicle:' .. {id} and ARGV[1] .. 'vehicle:' .. {id} .. ':boarded'.
local reg = KEYS[1]
if ARGV[2] == 'uid' then
  local code = redis.call('GET', KEYS[1])
  if not code then
    return {}
  end
  reg = ARGV[3] .. code
end
local all = redis.call('HGETALL', reg)
local f, h = {}, {}
for i = 1, #all, 2 do
  f[all[i]] = all[i + 1]
  if all[i] ~= 'notified' and all[i] ~= 'no_show' then -- (the vehicle ids they hold: said below)
    h[#h + 1] = all[i]
    h[#h + 1] = all[i + 1]
  end
end
if #h == 0 then
  return h
end
local code = string.sub(reg, -8) -- the key's last 8 characters (layout 4 keeps no field of it)
h[#h + 1] = 'code'
h[#h + 1] = code
if f.status == 'registered' and f.campaign then
  local a = redis.call('HGET', ARGV[1] .. f.campaign .. ':assign', code) or ''
  local vid, seat = string.match(a, '^(%d+):(%d+)$')
  if vid then
    local trip = trip_of(ARGV[1], vid, code, f.no_show)
    for _, x in ipairs({'status', 'assigned', 'vehicle', vid, 'seat', seat, 'trip', trip, 'notified',
      f.notified == vid and '1' or '0'}) do
      h[#h + 1] = x
    end
  end
end
return h
