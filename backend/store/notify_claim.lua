#!lua
-- Before a message is sent (docs/redis-keys.md): a message already sent, given up on or
-- gone is acknowledged and dropped ('done'); one to a phone that opted out (replied TD)
-- is marked so, acknowledged and dropped ('optout'); one to a phone that got the day's
-- allowance is left to the caller to put off ('limit'); else one message of the phone's
-- allowance is taken for it and its content returned ('go').
-- KEYS[1] sg:{P}:notify:message:{mid}  KEYS[2] sg:{P}:notify:optout  KEYS[3] sg:{P}:notify:day:{date}
-- KEYS[4] sg:{P}:notify:outbox
-- ARGV[1] outbox entry id  ARGV[2] consumer group  ARGV[3] messages a phone may get a day
-- Returns {'go', phone, kind, params, scope, code, attempts, push, masked phone, vehicle} or {verdict, masked phone}.
local m = redis.call('HMGET', KEYS[1], 'status', 'ph', 'phone', 'kind', 'params', 'scope', 'code', 'attempts', 'push',
  'pm', 'vehicle')
local function drop()
  redis.call('XACK', KEYS[4], ARGV[2], ARGV[1])
  redis.call('XDEL', KEYS[4], ARGV[1])
end
if not m[1] or m[1] == 'sent' or m[1] == 'dead' or m[1] == 'optout' then
  drop()
  return {'done', m[10] or ''}
end
if redis.call('SISMEMBER', KEYS[2], m[2]) == 1 then
  redis.call('HSET', KEYS[1], 'status', 'optout')
  redis.call('EXPIRE', KEYS[1], 604800)
  drop()
  return {'optout', m[10] or ''}
end
if (tonumber(redis.call('HGET', KEYS[3], m[2])) or 0) >= tonumber(ARGV[3]) then
  return {'limit', m[10] or ''}
end
redis.call('HINCRBY', KEYS[3], m[2], 1)
redis.call('EXPIRE', KEYS[3], 259200)
redis.call('HSET', KEYS[1], 'status', 'sending')
return {'go', m[3], m[4], m[5], m[6], m[7], m[8], m[9] or '', m[10] or '', m[11] or ''}
