#!lua
-- Store a village's return figures: always appended to its history; they become the
-- village's latest unless an entry with a later as_of date is already there; the
-- village's and the county's counter hashes keep the sums of the latest figures.
-- KEYS[1] sg:{P}:{campaign}:returns:{county}          HASH village -> latest line
-- KEYS[2] sg:{P}:{campaign}:returns-history:{village}  LIST of lines, newest first
-- KEYS[3] sg:{P}:{campaign}:stats:{village}  KEYS[4] sg:{P}:{campaign}:stats:{county}
-- ARGV[1] village  ARGV[2] "outbound returned not_returned as_of at_ms user"
-- Returns 'latest' or 'history' (an older figure, kept in the history only).
local function parse(line)
  local o, r, n, d = string.match(line, '^(%d+) (%d+) (%d+) (%d%d%d%d%-%d%d%-%d%d)')
  return tonumber(o), tonumber(r), tonumber(n), d
end
local o, r, n, d = parse(ARGV[2])
if not d then
  return redis.error_reply('bad figures')
end
redis.call('LPUSH', KEYS[2], ARGV[2])
local prev = redis.call('HGET', KEYS[1], ARGV[1])
local po, pr, pn, pd, villages, pflag = 0, 0, 0, nil, 1, 0
if prev then
  po, pr, pn, pd = parse(prev)
  if d < pd then
    return 'history'
  end
  villages = 0
  if pr + pn ~= po then pflag = 1 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local flag = 0
if r + n ~= o then flag = 1 end
for i = 3, 4 do
  redis.call('HINCRBY', KEYS[i], 'returns:outbound', o - po)
  redis.call('HINCRBY', KEYS[i], 'returns:returned', r - pr)
  redis.call('HINCRBY', KEYS[i], 'returns:not_returned', n - pn)
  redis.call('HINCRBY', KEYS[i], 'returns:villages', villages)
  redis.call('HINCRBY', KEYS[i], 'returns:flagged', flag - pflag)
end
return 'latest'
