-- Take a registration out of its vehicle by hand (docs/redis-keys.md; seats.lua comes
-- first): out of its vehicle's seat list and the assignment hash, the seats free again,
-- the vehicle's used count down, its call-back mark cleared. Only from the vehicle the
-- caller names ('not_on_vehicle' otherwise), never once the group has checked in
-- ('boarded') or the vehicle has left ('departed'). With ARGV[2] == 'reopen' it goes back
-- into the open index (to be matched again) unless it is cancelled; with 'drop' it leaves
-- the open index for good.
-- KEYS[1] sg:{P}:reg:{code}  KEYS[2] sg:{P}:{campaign}:open  KEYS[3] sg:{P}:{campaign}:assign
-- ARGV[1] code  ARGV[2] 'reopen' or 'drop'  ARGV[3] the key prefix sg:{P}:  ARGV[4] the vehicle id
-- ARGV[5] the village the caller checked the scope of
-- Derived keys (its vehicle, from the assignment; same hash slot, the prefix's tag): those
-- of trip_lock and assignment_drop (seats.lua; open_changed through it).
local f = redis.call('HMGET', KEYS[1], 'campaign', 'people', 'open', 'counted', 'village', 'status')
if not f[3] then
  return {'missing'}
end
if f[5] ~= ARGV[5] then
  return {'changed'}
end
local P = ARGV[3]
local now = assigned_to(P, f[1], ARGV[1])
if now ~= ARGV[4] then
  return {'not_on_vehicle'}
end
local lock = trip_lock(P, now, ARGV[1])
if lock then
  return {lock}
end
local vid = assignment_drop(P, f[1], ARGV[1], tonumber(f[2]), f[4], f[5])
if ARGV[2] == 'reopen' and f[6] == 'registered' then
  redis.call('ZADD', KEYS[2], 0, f[3])
else
  redis.call('ZREM', KEYS[2], f[3])
end
return {'ok', vid or ''}
