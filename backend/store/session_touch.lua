#!lua
-- Look a session up and push its idle expiry back (ARGV[1] idle seconds), or with
-- ARGV[1] '0' only look (a live stream checks its session without keeping it alive).
-- KEYS[1] sg:{P}:session:{hash}
if ARGV[1] == '0' then
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return {}
  end
elseif redis.call('EXPIRE', KEYS[1], ARGV[1]) == 0 then
  return {}
end
return redis.call('HGETALL', KEYS[1])
