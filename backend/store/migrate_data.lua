#!lua
-- Rewrite one batch of registrations written before layout version 3: a person's birth
-- date ("birth":"YYYY-MM-DD") together with the masked ID number (first 6 and last 4
-- digits) gave back all 18 digits, so only the birth year is kept ("by":YYYY). Safe to
-- repeat: a rewritten registration has no "birth" any more.
-- KEYS[i] sg:{P}:reg:{code} (from a SCAN of that prefix; a key of another type is skipped)
-- Returns the number of registrations rewritten.
local n = 0
for i = 1, #KEYS do
  if redis.call('TYPE', KEYS[i]).ok == 'hash' then
    local data = redis.call('HGET', KEYS[i], 'data')
    local ok, d = false, nil
    if data then
      ok, d = pcall(cjson.decode, data)
    end
    if ok and type(d) == 'table' and type(d.people) == 'table' then
      local changed = false
      for _, p in ipairs(d.people) do
        if type(p.birth) == 'string' then
          p.by = tonumber(string.sub(p.birth, 1, 4))
          p.birth = nil
          changed = true
        end
      end
      if changed then
        redis.call('HSET', KEYS[i], 'data', cjson.encode(d))
        n = n + 1
      end
    end
  end
end
return n
