-- Schedules a delayed item in resque-scheduler's layout (spec 8.1), all at once.
-- KEYS[1] delayed:<ts>, KEYS[2] timestamps:<item>, KEYS[3] delayed_queue_schedule
-- ARGV[1] ts, ARGV[2] item, ARGV[3] "delayed:<ts>" (the member of the timestamps set, unprefixed)
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[1])
return 1
