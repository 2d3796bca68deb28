-- Registers a consumer: its lease (a Java-only key with an expiry, renewed while it lives) and,
-- for resque-web, Resque's worker entries (spec 10, start).
-- KEYS[1] lease, KEYS[2] workers:heartbeat, KEYS[3] workers, KEYS[4] worker:<id>:started,
-- KEYS[5] java-bus:consumers (every Java consumer id, for recovery to check)
-- ARGV[1] id, ARGV[2] lease seconds, ARGV[3] heartbeat time, ARGV[4] started time ("" = keep)
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[5], ARGV[1])
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[4], ARGV[4])
end
return 1
