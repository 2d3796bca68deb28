-- Deletes a list (a queue, the failed list) without blocking Redis on its size.
-- KEYS[1] the list
-- Returns how many entries it held.
local length = redis.call('LLEN', KEYS[1])
redis.call('UNLINK', KEYS[1])
return length
