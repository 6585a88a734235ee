#!lua flags=allow-cross-slot-keys
-- Move one batch of keys of the layout before version 2 ("sg:..." without a hash tag) to
-- their names in this layout (docs/redis-keys.md#migration). Atomic per batch and safe to
-- repeat: a key already moved is no longer there. It moves keys from their slots into the
-- province's one (hence the flag): it runs on the standalone Redis the old layout ran on.
-- KEYS[2i-1] an old name  KEYS[2i] its new name
-- ARGV[1] the old session key prefix sg:session:  ARGV[2] the new one sg:{P}:session:
-- ARGV[3] the old purge position prefix sg:purge:
-- A key whose new name is taken is left where it is (never overwritten) and reported. A
-- purge's SCAN position is a place among the old names: it is deleted (the purge scans
-- again from the start). The only values that hold key names, the session key names in
-- the sets sg:user:{name}:sessions, are rewritten to the new names.
-- Returns {keys moved, {old names whose new name was taken}}.
local moved, taken = 0, {}
local old_session, new_session, old_purge = ARGV[1], ARGV[2], ARGV[3]
for i = 1, #KEYS, 2 do
  local old, new = KEYS[i], KEYS[i + 1]
  if redis.call('EXISTS', old) == 0 then
    -- moved by an earlier run, or gone meanwhile
  elseif string.sub(old, 1, #old_purge) == old_purge then
    redis.call('DEL', old)
  elseif redis.call('RENAMENX', old, new) == 0 then
    taken[#taken + 1] = old
  else
    moved = moved + 1
    if string.sub(new, -9) == ':sessions' and redis.call('TYPE', new).ok == 'set' then
      for _, m in ipairs(redis.call('SMEMBERS', new)) do
        if string.sub(m, 1, #old_session) == old_session then
          redis.call('SREM', new, m)
          redis.call('SADD', new, new_session .. string.sub(m, #old_session + 1))
        end
      end
    end
  end
end
return {moved, taken}
