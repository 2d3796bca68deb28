-- Cluster mode: replaces an app's whole subscription hash at once, in its slot; the caller then
-- adds the app to bus_apps (another slot), or removes it from there first when it has none left.
-- KEYS[1] build area {bus_app:<app>}:tmp:<n>, KEYS[2] bus_app:<app>; ARGV field, value pairs
-- include: hash-replace
if #ARGV < 2 then
  redis.call('DEL', KEYS[2])
  return 0
end
return replace_hash(KEYS[1], KEYS[2], 1)
