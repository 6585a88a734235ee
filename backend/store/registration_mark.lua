-- What staff record of an assigned registration (docs/redis-keys.md; seats.lua comes
-- first): 'notified' (the village told the person of their vehicle: kept with who and
-- when, counted in t:notified; told again after a move), 'unnotified' (a tick taken
-- back), 'no_show' (did not turn up while the vehicle is boarding; gone again at a
-- check-in or a move).
-- KEYS[1] sg:{P}:reg:{code}
-- ARGV[1] code  ARGV[2] 'notified', 'unnotified' or 'no_show'  ARGV[3] who (a staff user)
-- ARGV[4] now, ms since the epoch  ARGV[5] the key prefix sg:{P}:
-- ARGV[6] the village the caller checked the scope of
-- Derived keys (the caller knows the code only; same hash slot as KEYS[1], the prefix's
-- tag), C the record's campaign: P..C..':assign', P..'vehicle:'..{id}, its ':boarded', and
-- trip_count's counters of the village and its county.
-- Returns {'ok', vehicle}, {'again', vehicle} (nothing to change), {'missing'},
-- {'changed'}, {'not_assigned'}, {'boarded'} or {'not_boarding', vehicle status}.
local r = redis.call('HMGET', KEYS[1], 'campaign', 'village', 'status', 'people', 'notified')
if not r[1] then
  return {'missing'}
end
if r[2] ~= ARGV[6] then
  return {'changed'}
end
local P, C, what = ARGV[5], r[1], ARGV[2]
local vid = r[3] == 'registered' and assigned_to(P, C, ARGV[1])
if not vid then
  return {'not_assigned'}
end
local people = tonumber(r[4]) or 0
if what == 'notified' or what == 'unnotified' then
  if (r[5] == vid) == (what == 'notified') then
    return {'again', vid}
  end
  if what == 'notified' then
    redis.call('HSET', KEYS[1], 'notified', vid, 'notified_at', ARGV[4], 'notified_by', ARGV[3])
  else
    redis.call('HDEL', KEYS[1], 'notified', 'notified_at', 'notified_by')
  end
  trip_count(P, C, r[2], 't:notified', what == 'notified' and people or -people)
  return {'ok', vid}
end
local vkey = P .. 'vehicle:' .. vid
if redis.call('SISMEMBER', vkey .. ':boarded', ARGV[1]) == 1 then
  return {'boarded'}
end
local status = redis.call('HGET', vkey, 'status') or ''
if status ~= 'boarding' then
  return {'not_boarding', status}
end
if redis.call('HGET', KEYS[1], 'no_show') == vid then
  return {'again', vid}
end
redis.call('HSET', KEYS[1], 'no_show', vid)
return {'ok', vid}
