-- Read-only: the members of Resque's queues set (one per queue, so it stays small).
-- KEYS[1] queues
return redis.call('SMEMBERS', KEYS[1])
