-- Registers a consumer: its lease (a Java-only key with an expiry, renewed while it lives) and,
-- for resque-web, Resque's worker entries (spec 10, start). Renewals run it again: if a pruner
-- removed the id from `workers`, it also puts back the job record the pruner deleted.
-- KEYS[1] lease, KEYS[2] workers:heartbeat, KEYS[3] workers, KEYS[4] worker:<id>:started,
-- KEYS[5] java-bus:consumers (every Java consumer id, for recovery to check), KEYS[6] worker:<id>
-- ARGV[1] id, ARGV[2] lease seconds, ARGV[3] heartbeat time, ARGV[4] started time,
-- ARGV[5] current job record ("" = none)
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local added = redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('SET', KEYS[4], ARGV[4])
if added == 1 and ARGV[5] ~= '' then
  redis.call('SET', KEYS[6], ARGV[5], 'NX')
end
return added
