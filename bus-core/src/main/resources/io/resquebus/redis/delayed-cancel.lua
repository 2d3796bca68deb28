-- Removes one delayed item, as resque-scheduler's remove_delayed_job_from_timestamp does: from its
-- list, from its timestamps: set, and the list with its schedule entry once empty.
-- KEYS[1] delayed:<ts>, KEYS[2] delayed_queue_schedule, KEYS[3] timestamps:<item>
-- ARGV[1] ts (the schedule member), ARGV[2] "delayed:<ts>" (the timestamps member), ARGV[3] the item
-- Returns how many copies were removed.
local removed = redis.call('LREM', KEYS[1], 0, ARGV[3])
redis.call('SREM', KEYS[3], ARGV[2])
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return removed
