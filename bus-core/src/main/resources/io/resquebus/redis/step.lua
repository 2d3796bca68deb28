-- Cluster mode: one command on one key, the bus's multi-slot work being split into single-slot
-- steps sent in order. KEYS[1] the key; ARGV[1] the command, ARGV[2..] its other arguments.
return redis.call(ARGV[1], KEYS[1], unpack(ARGV, 2))
