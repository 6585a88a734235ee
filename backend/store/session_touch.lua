#!lua
-- Look a session up and push its idle expiry back. KEYS[1] sg:{P}:session:{hash}  ARGV[1] idle seconds
if redis.call('EXPIRE', KEYS[1], ARGV[1]) == 0 then
  return {}
end
return redis.call('HGETALL', KEYS[1])
