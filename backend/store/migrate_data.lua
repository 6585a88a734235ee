#!lua
-- Rewrite one batch of registrations written before layout version 4 into layout 4
-- (docs/redis-keys.md#migration). Safe to repeat: a registration already in layout 4 is
-- left as it is (and not counted).
--  - layout 2 kept a person's birth date ("birth":"YYYY-MM-DD"), which with the masked ID
--    number (first 6 and last 4 digits) gave back all 18 digits: only the year is kept
--    ("by":YYYY).
--  - layout 3 spelled every field of the data JSON out, kept the masked numbers with their
--    stars, the sex, defaults (empty, false, "none", "any"), the code as a hash field, and
--    people and regs in 'counted': layout 4 has short names and none of these (codec.c,
--    fold_lib.lua's fold_counted), and the hash is written again so that it becomes one
--    listpack (hash-max-listpack-value in deploy/redis.conf). Sealed numbers are left as
--    they are (sg_crypto_open reads both forms; an edit seals them the compact way).
-- KEYS[i] sg:{P}:reg:{code} (from a SCAN of that prefix; a key of another type is skipped)
-- Returns {registrations rewritten, of which birth dates replaced}.

local function set(t, k, v, default)
  if v ~= nil and v ~= default and v ~= cjson.null then
    t[k] = v
  end
end

local function person4(p)
  local q = {n = p.n or p.name, id = p.id, h = p.h or p.idh, phone = p.phone or '', ph = p.ph or ''}
  local idm = p.id_masked or ''
  q.id_masked = #idm == 18 and string.sub(idm, 1, 6) .. string.sub(idm, 15, 18) or idm
  if type(p.birth) == 'string' then
    q.by = tonumber(string.sub(p.birth, 1, 4))
  else
    q.by = p.by
  end
  local pm = p.pm or p.phone_masked or ''
  set(q, 'pm', #pm == 11 and string.sub(pm, 1, 3) .. string.sub(pm, 8, 11) or pm, '')
  local poverty = p.v or ({alleviated = 1, monitored = 2})[p.poverty or '']
  set(q, 'v', poverty, 0)
  if p.g == 1 or p.flag == 'region_unknown' then
    q.g = 1
  end
  return q
end

local function data4(d)
  local e = {dest_city = d.dest_city, depart_date = d.depart_date, f = d.f or d.flex_days or 0, people = {}}
  set(e, 'm', d.m or d.mode, 'any')
  set(e, 'e', d.e or d.employer, '')
  if d.j == 1 or d.job_confirmed == true then
    e.j = 1
  end
  set(e, 'eb', d.eb or d.entered_by, '')
  set(e, 'ei', d.ei or d.employer_id, '')
  if d.s == 1 or d.seek == true then
    e.s = 1
    e.w = d.w or d.work or ''
  end
  if d.t == 1 or d.sms == true then
    e.t = 1
  end
  for i, p in ipairs(d.people) do
    e.people[i] = person4(p)
  end
  return e
end

-- 'counted' of layout 4: without people and regs (implied).
local function counted4(counted)
  local out = {}
  for f, n in string.gmatch(counted or '', '(%S+) (%S+)') do
    if f ~= 'people' and f ~= 'regs' then
      out[#out + 1] = f .. ' ' .. n
    end
  end
  return table.concat(out, ' ')
end

local n, births = 0, 0
for i = 1, #KEYS do
  local key = KEYS[i]
  if redis.call('TYPE', key).ok == 'hash' then
    local flat = redis.call('HGETALL', key)
    local h = {}
    for j = 1, #flat, 2 do
      h[flat[j]] = flat[j + 1]
    end
    local ok, d = pcall(cjson.decode, h.data or '')
    if ok and type(d) == 'table' and type(d.people) == 'table' and d.people[1] then
      local old = d.people[1].n == nil or h.code ~= nil or string.find(h.counted or '', 'people ', 1, true) == 1
      local birth = false
      for _, p in ipairs(d.people) do
        birth = birth or type(p.birth) == 'string'
      end
      if old or birth then
        h.data = cjson.encode(data4(d))
        h.counted = counted4(h.counted)
        h.code = nil
        local args = {}
        for k, v in pairs(h) do
          args[#args + 1] = k
          args[#args + 1] = v
        end
        redis.call('DEL', key) -- written again: one listpack
        redis.call('HSET', key, unpack(args))
        n = n + 1
        if birth then
          births = births + 1
        end
      end
    end
  end
end
return {n, births}
