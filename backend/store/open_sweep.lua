#!lua
-- Take the assigned registrations out of the open index (docs/redis-keys.md), for the
-- members from ARGV[1] to ARGV[2] (ZRANGEBYLEX bounds, e.g. '[first' '[last'), at most
-- ARGV[3] of them ('' for all): read them with one ZRANGEBYLEX, ask the assignment hash
-- about their codes, and remove every run of consecutive assigned members with one
-- ZREMRANGEBYLEX. Run after assign.lua batches; a member it has not reached yet is still
-- refused by assign.lua (the assignment hash) and swept by the next run.
-- An accept that knows what it wrote may add the runs themselves: with KEYS[3]
-- sg:{P}:open:changes, ARGV[4] the campaign, ARGV[5] its count there as the accept read
-- it before its open index, ARGV[6] r, then r times the bounds of a run of members the
-- accept assigned ('[first', '[last') and their number. While the count is unchanged
-- (assign_fresh.lua says why) nothing took a member out of the index or undid an
-- assignment since: a run still holds those members, and only sign-ups folded in since
-- can have joined it; ZLEXCOUNT tells, and a run that holds just its members goes with
-- one ZREMRANGEBYLEX, unread. Any other run is read and asked about as above.
-- KEYS[1] sg:{P}:{campaign}:open  KEYS[2] sg:{P}:{campaign}:assign  (KEYS[3] above)
-- ARGV[1] min  ARGV[2] max  ARGV[3] limit or ''  (ARGV[4..] above)
-- Returns {members taken out, the last member read or ''}.

-- Sweep the members from min to max (at most limit, '' for all) by reading them.
local function sweep(min, max, limit)
  local span
  if limit ~= '' then
    span = redis.call('ZRANGEBYLEX', KEYS[1], min, max, 'LIMIT', 0, limit)
  else
    span = redis.call('ZRANGEBYLEX', KEYS[1], min, max)
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
  return removed, span[#span] or ''
end

if not KEYS[3] or (redis.call('HGET', KEYS[3], ARGV[4]) or '0') ~= ARGV[5] then
  local removed, last = sweep(ARGV[1], ARGV[2], ARGV[3])
  return {removed, last}
end
local removed = 0
for at = 7, 6 + 3 * tonumber(ARGV[6]), 3 do
  local min, max, n = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
  if redis.call('ZLEXCOUNT', KEYS[1], min, max) == n then
    removed = removed + redis.call('ZREMRANGEBYLEX', KEYS[1], min, max)
  else
    removed = removed + sweep(min, max, '')
  end
end
return {removed, ''}
