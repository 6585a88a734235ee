#!lua flags=no-writes
-- What the sender needs to tell a vehicle's passengers (docs/redis-keys.md): the vehicle,
-- and for each registration on its seat list or told about it before: whether it is on
-- the vehicle, its status and village, what it was told, the vehicle it is assigned to
-- now, its consent to SMS, and the worker's sealed phone, phone hash and masked phone.
-- KEYS[1] sg:{P}:vehicle:{id}  KEYS[2] sg:{P}:vehicle:{id}:seats  KEYS[3] sg:{P}:notify:told:{id}
-- ARGV[1] the prefix sg:{P}:
-- Derived keys (same hash slot): P..{campaign}..':assign' (the campaign read from the
-- vehicle), P..'reg:'..{code} of every code on the seat list or in the told hash.
-- Returns {vehicle HGETALL, {code, on, status, village, told, reminded, assigned, sms, phone, ph, pm, ...}}.
local P = ARGV[1]
local v = redis.call('HGETALL', KEYS[1])
if #v == 0 then
  return {v, {}}
end
local campaign = redis.call('HGET', KEYS[1], 'campaign')
local codes, on, order = {}, {}, {}
for _, code in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  on[code] = true
  order[#order + 1] = code
end
local told = redis.call('HGETALL', KEYS[3])
for i = 1, #told, 2 do
  local k = told[i]
  if string.sub(k, -2) == ':r' then
    codes[string.sub(k, 1, -3)] = codes[string.sub(k, 1, -3)] or {}
    codes[string.sub(k, 1, -3)].r = '1'
  else
    codes[k] = codes[k] or {}
    codes[k].t = told[i + 1]
    if not on[k] then
      order[#order + 1] = k
    end
  end
end
local out = {}
for _, code in ipairs(order) do
  local r = redis.call('HMGET', P .. 'reg:' .. code, 'status', 'village', 'data')
  local ok, d = pcall(cjson.decode, r[3] or '{}')
  local p1 = ok and type(d) == 'table' and type(d.people) == 'table' and d.people[1] or {}
  local c = codes[code] or {}
  local sms = ok and type(d) == 'table' and (d.t == 1 or d.sms == true) and '1' or ''
  local pm = p1.pm or p1.phone_masked or '' -- layout 4 keeps it without the stars
  if #pm == 7 then
    pm = string.sub(pm, 1, 3) .. '****' .. string.sub(pm, 4)
  end
  out[#out + 1] = {code, on[code] and '1' or '', r[1] or '', r[2] or '', c.t or '', c.r or '',
    redis.call('HGET', P .. campaign .. ':assign', code) or '', sms, p1.phone or '', p1.ph or '',
    pm}
end
return {v, out}
