-- Cluster mode: the end of a driver batch, once every push of its events is done: the driven jobs
-- leave the driver's in-flight list and their progress sets go (all in bus_incoming's slot).
-- KEYS[1] the in-flight list, KEYS[2..] the progress sets; ARGV the driven jobs, exactly as fetched.
-- Returns how many jobs were removed.
local removed = 0
for i = 1, #ARGV do
  removed = removed + redis.call('LREM', KEYS[1], 1, ARGV[i])
end
for i = 2, #KEYS do
  redis.call('DEL', KEYS[i])
end
return removed
