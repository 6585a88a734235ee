#!lua
-- Disable an account and end its sessions. KEYS[1] sg:{P}:user:{name}  KEYS[2] sg:{P}:user:{name}:sessions
-- Derived keys: the session keys sg:{P}:session:{hash} whose names KEYS[2] holds (written by
-- session_create.lua; in the hash slot of the prefix's tag, as KEYS).
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
