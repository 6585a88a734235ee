#!lua
-- Attempt counters kept in Redis, so that every server process shares them (docs/security.md).
-- ARGV[1] 'take': count one attempt on every counter, unless one of them is full: then
--   count nothing and return {its index, ms until it empties}; else {0, 0}.
-- ARGV[1] 'give': take one attempt back from every counter (a proof that was right).
-- ARGV[1] 'forgive': forget every counter (a proof that was right forgives the wrong ones before it).
-- KEYS[i] sg:{P}:limit:{kind}:{subject}  ARGV[2i] its limit (0: none)  ARGV[2i+1] its window (ms)
-- A counter is a fixed window: it lives window ms from its first attempt.
if ARGV[1] == 'forgive' then
  redis.call('DEL', unpack(KEYS))
  return {0, 0}
end
if ARGV[1] == 'give' then
  for i = 1, #KEYS do
    if redis.call('DECR', KEYS[i]) <= 0 then
      redis.call('DEL', KEYS[i])
    end
  end
  return {0, 0}
end
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  if limit > 0 and tonumber(redis.call('GET', KEYS[i]) or '0') >= limit then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then
      redis.call('PEXPIRE', KEYS[i], ARGV[2 * i + 1])
      ttl = tonumber(ARGV[2 * i + 1])
    end
    return {i, ttl}
  end
end
for i = 1, #KEYS do
  if tonumber(ARGV[2 * i]) > 0 and redis.call('INCR', KEYS[i]) == 1 then
    redis.call('PEXPIRE', KEYS[i], ARGV[2 * i + 1])
  end
end
return {0, 0}
