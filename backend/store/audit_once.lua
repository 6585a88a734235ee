#!lua
-- Append to the audit log at most once per window for the same user, action and target
-- (a page that refreshes itself every few seconds is one look, not hundreds).
-- KEYS[1] sg:{P}:auditonce:{user}:{action}:{target}  KEYS[2] sg:{P}:audit
-- ARGV[1] window in seconds  ARGV[2..] the entry's field, value pairs
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
  return 1
end
return 0
