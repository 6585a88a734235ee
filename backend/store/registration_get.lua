#!lua flags=no-writes
-- One registration as HGETALL gives it, with its code ('code', from the key) and its
-- assignment (docs/redis-keys.md): when
-- the campaign's assignment hash holds the code, 'status' 'assigned', 'vehicle' and 'seat'
-- follow (a reader keeps the last value of a field). The registration hash itself never
-- holds them: a batch of matching then writes one hash field per registration, not two keys.
-- KEYS[1] sg:{P}:reg:{code}, or with ARGV[2] 'uid' the uniqueness key
--   sg:{P}:uid:{campaign}:{hash} of an ID number (a worker who lost the code)
-- ARGV[1] the key prefix sg:{P}:  ARGV[3] (with 'uid') the registration key prefix sg:{P}:reg:
-- Derived keys (the caller knows the code or the ID number only; same hash slot as
-- KEYS[1], the prefix's tag): ARGV[3] .. {the code the uniqueness key holds};
-- ARGV[1] .. {the record's campaign} .. ':assign'.
local reg = KEYS[1]
if ARGV[2] == 'uid' then
  local code = redis.call('GET', KEYS[1])
  if not code then
    return {}
  end
  reg = ARGV[3] .. code
end
local h = redis.call('HGETALL', reg)
local f = {}
for i = 1, #h, 2 do
  f[h[i]] = h[i + 1]
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
    for _, x in ipairs({'status', 'assigned', 'vehicle', vid, 'seat', seat}) do
      h[#h + 1] = x
    end
  end
end
return h
