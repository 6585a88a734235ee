#!lua flags=no-writes
-- One registration as HGETALL gives it, with its assignment (docs/redis-keys.md): when
-- the campaign's assignment hash holds the code, 'status' 'assigned', 'vehicle' and 'seat'
-- follow (a reader keeps the last value of a field). The registration hash itself never
-- holds them: a batch of matching then writes one hash field per registration, not two keys.
-- KEYS[1] sg:{P}:reg:{code}  ARGV[1] the key prefix sg:{P}:
-- Derived key (the caller knows the code only; same hash slot as KEYS[1], the prefix's tag):
-- ARGV[1] .. {the record's campaign} .. ':assign'.
local h = redis.call('HGETALL', KEYS[1])
local f = {}
for i = 1, #h, 2 do
  f[h[i]] = h[i + 1]
end
if f.status == 'registered' and f.campaign and f.code then
  local a = redis.call('HGET', ARGV[1] .. f.campaign .. ':assign', f.code) or ''
  local vid, seat = string.match(a, '^(%d+):(%d+)$')
  if vid then
    for _, x in ipairs({'status', 'assigned', 'vehicle', vid, 'seat', seat}) do
      h[#h + 1] = x
    end
  end
end
return h
