#!lua
-- Start a session after a good password. KEYS[1] sg:{P}:session:{hash}  KEYS[2] sg:{P}:user:{name}
-- KEYS[3] sg:{P}:user:{name}:sessions (set of session key names, read by user_disable.lua)
-- ARGV[1] idle seconds  ARGV[2..] field, value pairs
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'fails', '0', 'locked_until', '0')
redis.call('SADD', KEYS[3], KEYS[1])
redis.call('EXPIRE', KEYS[3], 2592000)
return 'ok'
