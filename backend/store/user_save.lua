#!lua
-- Create or update a staff account. KEYS[1] sg:{P}:user:{name}  KEYS[2] sg:{P}:users
-- ARGV[1] '1' to create (fails when the name is taken), '0' to update (fails when absent)
-- ARGV[2..] field, value pairs
if ARGV[1] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then
  return 'exists'
end
if ARGV[1] == '0' and redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[2], redis.call('HGET', KEYS[1], 'name'))
return 'ok'
