-- Replaces an app's whole subscription hash at once (spec 5); an app without subscriptions is
-- unsubscribed instead of being left stale.
-- Bumps the registry version (KEYS[4], Java's own) so drivers read the registry again.
-- KEYS[1] build area, KEYS[2] bus_app:<app>, KEYS[3] bus_apps, KEYS[4] {bus_apps}:version;
-- ARGV[1] app, ARGV[2..] field, value pairs
-- include: hash-replace
redis.call('INCR', KEYS[4])
if #ARGV < 2 then
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('DEL', KEYS[2])
  return 0
end
local fields = replace_hash(KEYS[1], KEYS[2], 2)
redis.call('SADD', KEYS[3], ARGV[1])
return fields
