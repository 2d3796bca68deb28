-- The driver's step for a batch of incoming jobs, all or nothing: pushes every fanned-out job
-- (registering its queue), then removes the driven jobs from the in-flight list and counts them.
-- KEYS[1] queues set, KEYS[2] in-flight list, KEYS[3] stat:processed, KEYS[4] stat:processed:<driver>,
-- KEYS[5..] the queue list of each push.
-- ARGV[1] number d of driven jobs, ARGV[2..1+d] those jobs, then per push: queue name, job.
local d = tonumber(ARGV[1])
for k = 5, #KEYS do
  local a = 2 + d + (k - 5) * 2
  redis.call('SADD', KEYS[1], ARGV[a])
  redis.call('RPUSH', KEYS[k], ARGV[a + 1])
end
for i = 2, 1 + d do
  redis.call('LREM', KEYS[2], -1, ARGV[i])
end
if d > 0 then
  redis.call('INCRBY', KEYS[3], d)
  redis.call('INCRBY', KEYS[4], d)
end
return #KEYS - 4
