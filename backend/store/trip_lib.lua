#!lua flags=no-writes
-- The trip state of a registration on vehicle vid, as readers see it (docs/redis-keys.md,
-- `status`): 'boarded', or the vehicle's 'departed' / 'arrived' once it left, when the code
-- is in the vehicle's :boarded set; 'no_show' when its no_show mark is this vehicle or the
-- vehicle left without it; else 'assigned'. Read-only. The build puts it in front of
-- page.lua and registration_get.lua. Keys it derives (P is the prefix passed in):
-- P .. 'vehicle:' .. vid and that key .. ':boarded'.
local function trip_of(P, vid, code, no_show)
  local vkey = P .. 'vehicle:' .. vid
  local vstatus = redis.call('HGET', vkey, 'status') or ''
  local left = vstatus == 'departed' or vstatus == 'arrived'
  if redis.call('SISMEMBER', vkey .. ':boarded', code) == 1 then
    return left and vstatus or 'boarded'
  elseif left or no_show == vid then
    return 'no_show'
  end
  return 'assigned'
end
