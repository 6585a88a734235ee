-- Free a registration's seat (docs/redis-keys.md; seats.lua comes first): out of its
-- vehicle's seat list and the assignment hash, the seats free again, the vehicle's used
-- count down, its boarding undone. With ARGV[2] == 'reopen' it goes back into the open
-- index (to be matched again); a cancel passes 'drop' and it leaves the open index for good.
-- KEYS[1] sg:{P}:reg:{code}  KEYS[2] sg:{P}:{campaign}:open  KEYS[3] sg:{P}:{campaign}:assign
-- ARGV[1] code  ARGV[2] 'reopen' or 'drop'  ARGV[3] the key prefix sg:{P}:
-- Derived keys (its vehicle, from the assignment; same hash slot, the prefix's tag): those
-- of assignment_drop (seats.lua).
local f = redis.call('HMGET', KEYS[1], 'campaign', 'people', 'open', 'counted')
if not f[3] then
  return {'missing'}
end
local vid = assignment_drop(ARGV[3], KEYS[3], ARGV[1], tonumber(f[2]), f[4])
if ARGV[2] == 'reopen' then
  redis.call('ZADD', KEYS[2], 0, f[3])
else
  redis.call('ZREM', KEYS[2], f[3])
end
return {'ok', vid or ''}
