-- Disable an account and end its sessions. KEYS[1] sg:user:{name}  KEYS[2] sg:user:{name}:sessions
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
redis.call('HSET', KEYS[1], 'disabled', '1')
local sessions = redis.call('SMEMBERS', KEYS[2])
for _, key in ipairs(sessions) do
  redis.call('DEL', key)
end
redis.call('DEL', KEYS[2])
return 'ok'
