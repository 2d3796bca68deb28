-- Cluster mode: removes jobs from one in-flight list by their exact bytes, the oldest copy of each
-- (the list is only this consumer's). KEYS[1] the in-flight list; ARGV the jobs.
-- Returns how many were removed.
local removed = 0
for i = 1, #ARGV do
  removed = removed + redis.call('LREM', KEYS[1], 1, ARGV[i])
end
return removed
