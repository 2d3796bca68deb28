-- Schedules the retry of a job whose handler failed (spec 9, resque-retry), all at once: the job leaves
-- the in-flight list, is counted processed and failed as Resque counts every failed run, its resque-retry
-- counter goes up (SETNX -1, then INCR), and it goes back to its queue at once (no due time) or into
-- resque-scheduler's delayed set (spec 8.1) with the queue in the item. A job no longer in the in-flight
-- list (recovery put it back on its queue already) is left alone, so it never runs twice because of this.
-- KEYS[1] in-flight list, KEYS[2] stat:processed, KEYS[3] stat:processed:<worker>, KEYS[4] stat:failed,
-- KEYS[5] stat:failed:<worker>, KEYS[6] worker:<id>, KEYS[7] resque-retry counter, KEYS[8] queues,
-- KEYS[9] queue:<q>, KEYS[10] delayed:<ts>, KEYS[11] timestamps:<item>, KEYS[12] delayed_queue_schedule
-- ARGV[1] job, ARGV[2] queue name, ARGV[3] due ts ("" for at once), ARGV[4] delayed item,
-- ARGV[5] "delayed:<ts>" (the timestamps member, unprefixed)
-- Returns the counter's new value, or -2 when the job was not in the in-flight list.
if redis.call('LREM', KEYS[1], -1, ARGV[1]) == 0 then
  return -2
end
redis.call('INCR', KEYS[2])
redis.call('INCR', KEYS[3])
redis.call('INCR', KEYS[4])
redis.call('INCR', KEYS[5])
redis.call('DEL', KEYS[6])
redis.call('SETNX', KEYS[7], -1)
local attempt = redis.call('INCR', KEYS[7])
if ARGV[3] == '' then
  redis.call('SADD', KEYS[8], ARGV[2])
  redis.call('RPUSH', KEYS[9], ARGV[1])
else
  redis.call('RPUSH', KEYS[10], ARGV[4])
  redis.call('SADD', KEYS[11], ARGV[5])
  redis.call('ZADD', KEYS[12], ARGV[3], ARGV[3])
end
return attempt
