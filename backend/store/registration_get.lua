-- One registration as HGETALL gives it, with its assignment (docs/redis-keys.md): when
-- sg:{campaign}:assign holds the code, 'status' 'assigned', 'vehicle' and 'seat' follow
-- (a reader keeps the last value of a field). The registration hash itself never holds
-- them: a batch of matching then writes one hash field per registration, not two keys.
-- KEYS[1] sg:reg:{code}
local h = redis.call('HGETALL', KEYS[1])
local f = {}
for i = 1, #h, 2 do
  f[h[i]] = h[i + 1]
end
if f.status == 'registered' and f.campaign and f.code then
  local vid, seat = string.match(redis.call('HGET', 'sg:' .. f.campaign .. ':assign', f.code) or '', '^(%d+):(%d+)$')
  if vid then
    for _, x in ipairs({'status', 'assigned', 'vehicle', vid, 'seat', seat}) do
      h[#h + 1] = x
    end
  end
end
return h
