-- resque-scheduler's Enqueue now: a due time's score becomes 0 if it is scheduled.
-- KEYS[1] delayed_queue_schedule; ARGV[1] the due time (the member)
-- Returns 1 if it was scheduled, else 0.
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', 0, ARGV[1])
return 1
