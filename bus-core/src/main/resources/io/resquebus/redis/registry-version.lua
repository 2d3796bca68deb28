-- The registry version Java subscribes bump (a script so that it runs like the registry read).
-- KEYS[1] {bus_apps}:version
return { redis.call('GET', KEYS[1]) or '0' }
