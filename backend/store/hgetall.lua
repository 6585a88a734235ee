#!lua flags=no-writes
-- Read many hashes in one round trip and one consistent snapshot: the counter hashes a
-- dashboard sums, or the return-figure hashes of the counties under a scope.
-- KEYS: the hashes. Returns one HGETALL reply per key, in order.
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('HGETALL', key)
end
return out
