#!lua
-- After a sign-up's answer was lost (a timeout, a dropped connection), decide what became
-- of that attempt, once and for all: either it was stored (its idempotency key holds
-- "{code} {hash}") or it never will be (the key is set to "void:{attempt id}", which
-- signup.lua obeys if the attempt still comes to run).
-- KEYS[1] sg:{P}:idem:{key}  ARGV[1] the attempt's id  ARGV[2] the key's life (s)  ARGV[3] the prefix sg:{P}:
-- Derived key: the registration the key names, ARGV[3] .. 'reg:' .. code (the same slot).
-- Returns {'stored', code, people} or {'void'}.
local prev = redis.call('GET', KEYS[1])
if prev and string.sub(prev, 1, 5) ~= 'void:' then
  local code = string.match(prev, '^(%S+)')
  return {'stored', code, redis.call('HGET', ARGV[3] .. 'reg:' .. code, 'people') or '0'}
end
redis.call('SET', KEYS[1], 'void:' .. ARGV[1], 'EX', ARGV[2])
return {'void'}
