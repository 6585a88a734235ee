#!lua flags=no-writes
-- The return figures of every village under a scope as they stood on a date: the latest
-- entry whose as_of is on or before it (ties: the later entry, i.e. the first one met in
-- the history, which is newest first). The county hash holds each village's latest; only
-- villages whose latest is after the date need their history read.
-- KEYS: sg:{P}:{campaign}:returns:{county} ...
-- ARGV[1] campaign  ARGV[2] scope (village code prefix)  ARGV[3] until (YYYY-MM-DD)
-- ARGV[4] the key prefix sg:{P}:
-- Derived keys (the villages come from the county hashes; same hash slot as KEYS, the
-- prefix's tag): ARGV[4] .. ARGV[1] .. ':returns-history:' .. {village}.
-- Returns {village, line, village, line, ...}.
local function as_of(line)
  return string.match(line, '^%d+ %d+ %d+ (%d%d%d%d%-%d%d%-%d%d)')
end
local out = {}
local plen = string.len(ARGV[2])
for _, key in ipairs(KEYS) do
  local h = redis.call('HGETALL', key)
  for i = 1, #h, 2 do
    local village, line = h[i], h[i + 1]
    if string.sub(village, 1, plen) == ARGV[2] then
      local d = as_of(line)
      if d and d > ARGV[3] then
        line = nil
        local best
        for _, e in ipairs(redis.call('LRANGE', ARGV[4] .. ARGV[1] .. ':returns-history:' .. village, 0, -1)) do
          local ed = as_of(e)
          if ed and ed <= ARGV[3] and (best == nil or ed > best) then
            best, line = ed, e
          end
        end
      end
      if line then
        out[#out + 1] = village
        out[#out + 1] = line
      end
    end
  end
end
return out
