#!lua
-- Take the assigned registrations out of the open index (docs/redis-keys.md), for the
-- members from ARGV[1] to ARGV[2] (ZRANGEBYLEX bounds, e.g. '[first' '[last'), at most
-- ARGV[3] of them ('' for all): read them with one ZRANGEBYLEX, ask the assignment hash
-- about their codes, and remove every run of consecutive assigned members with one
-- ZREMRANGEBYLEX. Run after assign.lua batches; a member it has not reached yet is still
-- refused by assign.lua (the assignment hash) and swept by the next run.
-- KEYS[1] sg:{P}:{campaign}:open  KEYS[2] sg:{P}:{campaign}:assign
-- ARGV[1] min  ARGV[2] max  ARGV[3] limit or ''
-- Returns {members taken out, the last member read or ''}.
local span
if ARGV[3] ~= '' then
  span = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], ARGV[2], 'LIMIT', 0, ARGV[3])
else
  span = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], ARGV[2])
end
local gone, removed = {}, 0
for k = 1, #span, 4000 do
  local codes = {}
  for i = k, math.min(k + 3999, #span) do
    codes[#codes + 1] = string.sub(span[i], 14, 21)
  end
  local held = redis.call('HMGET', KEYS[2], unpack(codes))
  for i, h in ipairs(held) do
    gone[k + i - 1] = h ~= false
  end
end
local i = 1
while i <= #span do
  if gone[i] then
    local j = i
    while gone[j + 1] do
      j = j + 1
    end
    redis.call('ZREMRANGEBYLEX', KEYS[1], '[' .. span[i], '[' .. span[j])
    removed = removed + j - i + 1
    i = j + 1
  else
    i = i + 1
  end
end
return {removed, span[#span] or ''}
