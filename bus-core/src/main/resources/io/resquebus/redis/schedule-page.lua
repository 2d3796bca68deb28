-- Read-only: a page of the delayed schedule's due times, earliest first.
-- KEYS[1] delayed_queue_schedule; ARGV[1] start, ARGV[2] stop
-- Returns the due times as stored.
return redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2])
