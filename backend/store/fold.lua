-- Fold the oldest pending sign-ups (fold_lib.lua, in front of this, says how): those a
-- server folding only on reads left (SONGGONG_FOLD_MS=0; others fold their own in the call
-- that stores them). Called by the server before every read of an index or a counter, and
-- on a timer (SONGGONG_FOLD_MS); any number of servers may call it at once: each call is
-- atomic and takes its entries off the list in the same step.
-- KEYS[1] sg:{P}:fold  ARGV[1] the key prefix sg:{P}:  ARGV[2] at most this many entries,
-- or 0: every entry pending (1,000 at a time, in this one call: before a read or a change
-- that must see every sign-up acknowledged so far)
-- Returns {entries folded, entries still pending}.
local max, n = tonumber(ARGV[2]), 0
if max == 0 then
  repeat
    local k = fold(KEYS[1], ARGV[1], 1000)
    n = n + k
  until k < 1000
else
  n = fold(KEYS[1], ARGV[1], max)
end
return {n, redis.call('LLEN', KEYS[1])}
