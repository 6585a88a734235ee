#!lua
-- seats.lua: shared by the scripts that give out or free seats or change a trip (assign,
-- assignment_move, assignment_release, cancel, checkin, edit, vehicle_save,
-- registration_mark); the build puts it in front of each of them, so its first line (no
-- flags: they write; cross-slot access refused in a Redis Cluster) is theirs.
-- A vehicle's free seats are its holes (hash field `holes`, "from-to from-to ..." in
-- seat order, seats below seat_next freed by a cancel or a move, or skipped by a batch
-- that arrived before an earlier one) and every seat from seat_next to its capacity.

-- The seat state from the fields seat_next and holes: {next = ..., holes = {{from, to}, ...}}.
local function seats_parse(next, holes)
  local v = {next = tonumber(next) or 1, holes = {}}
  for a, b in string.gmatch(holes or '', '(%d+)-(%d+)') do
    v.holes[#v.holes + 1] = {tonumber(a), tonumber(b)}
  end
  return v
end

local function seats_read(vkey)
  local f = redis.call('HMGET', vkey, 'seat_next', 'holes')
  return seats_parse(f[1], f[2])
end

-- Write v's seat_next and holes ('' when none), and any further field, value pairs, in
-- one HSET.
local function seats_write(vkey, v, ...)
  local t = {}
  for i, h in ipairs(v.holes) do
    t[i] = h[1] .. '-' .. h[2]
  end
  redis.call('HSET', vkey, 'seat_next', v.next, 'holes', table.concat(t, ' '), ...)
end

-- Seats a to b become free again: into the holes (kept sorted and merged), or back to
-- the tail when they end just below seat_next.
local function seats_free(v, a, b)
  local holes, at = v.holes, #v.holes + 1
  for i, h in ipairs(holes) do
    if a < h[1] then
      at = i
      break
    end
  end
  table.insert(holes, at, {a, b})
  if at < #holes and holes[at][2] + 1 >= holes[at + 1][1] then
    holes[at][2] = math.max(holes[at][2], holes[at + 1][2])
    table.remove(holes, at + 1)
  end
  if at > 1 and holes[at - 1][2] + 1 >= holes[at][1] then
    holes[at - 1][2] = math.max(holes[at - 1][2], holes[at][2])
    table.remove(holes, at)
  end
  local last = holes[#holes]
  if last and last[2] + 1 >= v.next then
    v.next = last[1]
    table.remove(holes)
  end
end

-- Take seats a to b if every one of them is free; false otherwise. Seats skipped over
-- from seat_next to a - 1 become a hole.
local function seats_take(v, a, b)
  if a >= v.next then
    if a > v.next then
      v.holes[#v.holes + 1] = {v.next, a - 1}
    end
    v.next = b + 1
    return true
  end
  for i, h in ipairs(v.holes) do
    if a >= h[1] and b <= h[2] then
      table.remove(v.holes, i)
      if b < h[2] then
        table.insert(v.holes, i, {b + 1, h[2]})
      end
      if h[1] < a then
        table.insert(v.holes, i, {h[1], a - 1})
      end
      return true
    end
  end
  return false
end

-- The first seat of the first free run of n seats (holes first, then the tail), or nil.
local function seats_fit(v, n, capacity)
  for _, h in ipairs(v.holes) do
    if h[2] - h[1] + 1 >= n then
      return h[1]
    end
  end
  if v.next + n - 1 <= capacity then
    return v.next
  end
  return nil
end

-- Add n people to the transport counter field ('t:assigned', 't:notified', 't:boarded',
-- 't:departed', 't:arrived') of village and of its county (docs/redis-keys.md), P the key
-- prefix sg:{P}: and C the campaign. Derived keys: P..C..':stats:'..{village},
-- P..C..':stats:'..{county} (in the hash slot of the prefix's tag).
local function trip_count(P, C, village, field, n)
  if n == 0 or not village then
    return
  end
  for _, k in ipairs({P .. C .. ':stats:' .. village, P .. C .. ':stats:' .. string.sub(village, 1, 6)}) do
    if redis.call('HINCRBY', k, field, n) == 0 then
      redis.call('HDEL', k, field)
    end
  end
end

-- What locks registration code on vehicle vid (nil: not assigned): 'departed' once the
-- vehicle has left (or arrived), 'boarded' once checked in; nil when nothing does.
-- Derived keys: P..'vehicle:'..vid, P..'vehicle:'..vid..':boarded'.
local function trip_lock(P, vid, code)
  if not vid or vid == '' then
    return nil
  end
  local status = redis.call('HGET', P .. 'vehicle:' .. vid, 'status')
  if status == 'departed' or status == 'arrived' then
    return 'departed'
  end
  if redis.call('SISMEMBER', P .. 'vehicle:' .. vid .. ':boarded', code) == 1 then
    return 'boarded'
  end
  return nil
end

-- The vehicle id registration code is assigned to in campaign C, or nil.
local function assigned_to(P, C, code)
  return string.match(redis.call('HGET', P .. C .. ':assign', code) or '', '^(%d+):')
end

-- Campaign C's open index changed in a way an accept's view of it cannot show: a member
-- taken out while not assigned (a cancel, an edit, a move), or an assignment undone. The
-- count per campaign in the hash P..'open:changes' (docs/redis-keys.md) lets an accept
-- that read it before its open index write whole batches and sweep runs by their bounds
-- while it is unchanged (assign_fresh.lua, open_sweep.lua). Derived key: P..'open:changes'.
local function open_changed(P, C)
  redis.call('HINCRBY', P .. 'open:changes', C, 1)
end

-- Registration code (people, counted; of village, in campaign C) leaves the vehicle it is
-- assigned to, if any: out of the assignment hash P..C..':assign' and the seat list, its
-- seats free again, its boarding undone, its call-back and no-show marks cleared, the
-- transport counters taken back. Returns the vehicle id it left, or nil. The caller has
-- checked trip_lock: a departed vehicle's passengers never leave it.
-- Derived keys (from the assignment; in the hash slot of the prefix's tag), P the key
-- prefix sg:{P}:  P..'vehicle:'..{id}, P..'vehicle:'..{id}..':seats', P..'vehicle:'..{id}..':boarded',
-- P..'reg:'..code, and trip_count's and open_changed's.
local function assignment_drop(P, C, code, people, counted, village)
  local akey = P .. C .. ':assign'
  local vid, seat = string.match(redis.call('HGET', akey, code) or '', '^(%d+):(%d+)$')
  if not vid then
    return nil
  end
  open_changed(P, C)
  local vkey = P .. 'vehicle:' .. vid
  local v = seats_read(vkey)
  seats_free(v, tonumber(seat), tonumber(seat) + people - 1)
  seats_write(vkey, v)
  redis.call('ZREM', vkey .. ':seats', code)
  redis.call('HINCRBY', vkey, 'used', -people)
  if redis.call('SREM', vkey .. ':boarded', code) == 1 then
    redis.call('HINCRBY', vkey, 'boarded_people', -people)
    redis.call('HINCRBY', vkey, 'boarded_poverty', -tonumber(string.match(counted or '', 'poverty (%d+)') or '0'))
    trip_count(P, C, village, 't:boarded', -people)
  end
  local rkey = P .. 'reg:' .. code
  if redis.call('HGET', rkey, 'notified') == vid then
    trip_count(P, C, village, 't:notified', -people)
  end
  redis.call('HDEL', rkey, 'notified', 'notified_at', 'notified_by', 'no_show')
  trip_count(P, C, village, 't:assigned', -people)
  redis.call('HDEL', akey, code)
  return vid
end

-- Whether a vehicle of owning scope and plan (its JSON, as vehicle.c stores it) takes
-- people of village: under one of the divisions its stops serve, or under its scope when
-- no stop names one (domain/vehicle.c sg_vehicle_serves).
local function area_holds(scope, plan, village)
  local ok, p = pcall(cjson.decode, plan or '')
  local named = false
  for _, s in ipairs(ok and type(p) == 'table' and type(p.stops) == 'table' and p.stops or {}) do
    if type(s) == 'table' and type(s.serves) == 'string' and s.serves ~= '' then
      named = true
      if string.sub(village, 1, #s.serves) == s.serves then
        return true
      end
    end
  end
  return not named and scope ~= nil and scope ~= '' and string.sub(village, 1, #scope) == scope
end

-- The divisions a plan's stops serve, as one string ('' when none): to tell whether they changed.
local function area_names(plan)
  local ok, p = pcall(cjson.decode, plan or '')
  local out = {}
  for _, s in ipairs(ok and type(p) == 'table' and type(p.stops) == 'table' and p.stops or {}) do
    if type(s) == 'table' and type(s.serves) == 'string' and s.serves ~= '' then
      out[#out + 1] = s.serves
    end
  end
  return table.concat(out, ' ')
end
