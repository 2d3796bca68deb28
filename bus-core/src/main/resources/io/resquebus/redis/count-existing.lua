-- Read-only: how many of KEYS exist.
return redis.call('EXISTS', unpack(KEYS))
