#!lua flags=no-writes
-- One page of a scope's registrations, in division order, in one round trip: the index
-- members from ARGV[1] to ARGV[2] (ZRANGEBYLEX bounds), skipping ARGV[3], at most ARGV[4],
-- and for each the fields a list or export needs. A page of 500 costs Redis about 2 ms.
-- KEYS[1] sg:{P}:{campaign}:byplace or sg:{P}:{campaign}:cancelled (members "{village}:{code}")
-- KEYS[2] sg:{P}:{campaign}:assign
-- ARGV[1] min  ARGV[2] max  ARGV[3] offset  ARGV[4] count  ARGV[5] '1': also count the scope
-- ARGV[6] a search's needle ('' for none): a row whose data has masked numbers but not
--         the needle (a plain substring) comes back as its member and empty fields (the
--         caller still reads past it; a search then sends and decodes only likely rows)
-- ARGV[7] the key prefix sg:{P}:
-- Derived keys (from the index members; same hash slot as KEYS, the prefix's tag):
-- ARGV[7] .. 'reg:' .. {code}, one per member.
-- Returns {total or -1, member, code, village, status, created, data, flag_checked,
--          cancelled_by, cancelled_at, campaign, assignment, trip, notified, member, ...};
-- status 'assigned' when the campaign's assignment hash holds the code (the registration
-- hash keeps 'registered'), then assignment "{vehicle}:{seat}", trip (assigned, boarded,
-- departed, arrived, no_show: registration_get.lua says how) and notified ('1' when the
-- village told the person of this vehicle); '' when not assigned.
-- Derived keys too, of an assigned row's vehicle: ARGV[7] .. 'vehicle:' .. {id} and its ':boarded'.
local out = {-1}
local needle = ARGV[6] or ''
local reg = ARGV[7] .. 'reg:'
if ARGV[5] == '1' then
  out[1] = redis.call('ZLEXCOUNT', KEYS[1], ARGV[1], ARGV[2])
end
local members = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', ARGV[3], ARGV[4])
for _, m in ipairs(members) do
  local code = string.sub(m, -8)
  local key = reg .. code
  out[#out + 1] = m
  local h = {}
  local data = needle ~= '' and redis.call('HGET', key, 'data')
  if not data or string.find(data, needle, 1, true) or not string.find(data, '_masked', 1, true) then
    h = redis.call('HMGET', key, 'village', 'village', 'status', 'created', 'data', 'flag_checked', 'cancelled_by',
      'cancelled_at', 'campaign', 'notified', 'no_show')
    h[1] = h[5] and code -- the code is the key's (layout 4 keeps no field of it)
    local a = h[3] == 'registered' and h[9] and redis.call('HGET', KEYS[2], code)
    local vid = a and string.match(a, '^(%d+):')
    local notified, no_show = h[10], h[11]
    h[10], h[11], h[12] = '', '', ''
    if vid then
      h[3], h[10], h[11], h[12] = 'assigned', a, trip_of(ARGV[7], vid, code, no_show), notified == vid and '1' or ''
    end
  end
  for i = 1, 12 do
    out[#out + 1] = h[i] or ''
  end
end
return out
