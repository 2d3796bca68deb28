-- Unregisters a consumer that stops (spec 10, stop): lease and every Resque entry of its id.
-- KEYS[1] lease, KEYS[2] workers, KEYS[3] worker:<id>, KEYS[4] worker:<id>:started,
-- KEYS[5] stat:processed:<id>, KEYS[6] stat:failed:<id>, KEYS[7] workers:heartbeat,
-- KEYS[8] java-bus:consumers; ARGV[1] id
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3], KEYS[4], KEYS[5], KEYS[6])
redis.call('HDEL', KEYS[7], ARGV[1])
redis.call('SREM', KEYS[8], ARGV[1])
return 1
