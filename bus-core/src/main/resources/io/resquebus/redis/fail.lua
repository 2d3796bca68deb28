-- Records a failed job: failure entry on the failed list, job out of the in-flight list, counters.
-- KEYS[1] in-flight list, KEYS[2] failed, KEYS[3] stat:processed, KEYS[4] stat:processed:<worker>,
-- KEYS[5] stat:failed, KEYS[6] stat:failed:<worker>, KEYS[7] worker:<id>,
-- KEYS[8] (optional) the job's resque-retry counter, deleted: the job gives up
-- ARGV[1] job, ARGV[2] failure entry, ARGV[3] most entries the failed list keeps (0: no limit),
-- ARGV[4] (optional) most bytes of memory it takes, as MEMORY USAGE counts them (0: no limit); the
-- newest entry stays even alone over it. MEMORY USAGE with SAMPLES 0 walks the list's nodes (one per
-- ~8 KB of small entries, one per large entry), never its bytes.
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
local dropped = 0
local max = tonumber(ARGV[3])
if max > 0 then
  local over = redis.call('LLEN', KEYS[2]) - max
  if over > 0 then
    redis.call('LTRIM', KEYS[2], over, -1)
    dropped = over
  end
end
local maxBytes = tonumber(ARGV[4] or '0')
if maxBytes > 0 then
  while redis.call('LLEN', KEYS[2]) > 1
      and redis.call('MEMORY', 'USAGE', KEYS[2], 'SAMPLES', '0') > maxBytes do
    redis.call('LPOP', KEYS[2])
    dropped = dropped + 1
  end
end
return dropped
