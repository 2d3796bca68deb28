-- Records a failed job: failure entry on the failed list, job out of the in-flight list, counters.
-- KEYS[1] in-flight list, KEYS[2] failed, KEYS[3] stat:processed, KEYS[4] stat:processed:<worker>,
-- KEYS[5] stat:failed, KEYS[6] stat:failed:<worker>, KEYS[7] worker:<id>,
-- KEYS[8] (optional) the job's resque-retry counter, deleted: the job gives up
-- ARGV[1] job, ARGV[2] failure entry, ARGV[3] most entries the failed list keeps (0: no limit),
-- ARGV[4] (optional) most bytes of memory it takes, as MEMORY USAGE counts them (0: no limit); the
-- newest entry stays even alone over it (see failed-list-limits.lua).
-- Returns how many of the oldest entries were dropped to stay within the limits.
redis.call('LREM', KEYS[1], -1, ARGV[1])
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('INCR', KEYS[3])
redis.call('INCR', KEYS[4])
redis.call('INCR', KEYS[5])
redis.call('INCR', KEYS[6])
redis.call('DEL', KEYS[7])
if #KEYS >= 8 then
  redis.call('DEL', KEYS[8])
end
-- include: failed-list-limits
return trim_failed(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4] or '0'))
