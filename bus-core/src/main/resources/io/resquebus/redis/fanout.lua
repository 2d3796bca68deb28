-- The driver's step for a batch of incoming jobs, all or nothing: pushes every fanned-out job
-- (registering its queue), then removes the driven jobs from the in-flight list and counts them.
-- An in-flight list holding just the driven jobs (only this driver fetches into it, and the jobs of
-- the batch that failed have left it) is deleted in one step; otherwise each is removed by its bytes.
-- KEYS[1] queues set, KEYS[2] in-flight list, KEYS[3] stat:processed, KEYS[4] stat:processed:<driver>,
-- KEYS[5..] the queue list of each queue pushed to.
-- ARGV[1] number d of driven jobs, ARGV[2..1+d] those jobs, then per queue: its name, the number n
-- of its jobs, and those jobs, in order.
local d = tonumber(ARGV[1])
local a = 2 + d
local pushed = 0
for k = 5, #KEYS do
  local n = tonumber(ARGV[a + 1])
  redis.call('SADD', KEYS[1], ARGV[a])
  -- unpack is bounded by Lua's C stack, so at most 1000 values a call
  for i = a + 2, a + 1 + n, 1000 do
    redis.call('RPUSH', KEYS[k], unpack(ARGV, i, math.min(i + 999, a + 1 + n)))
  end
  pushed = pushed + n
  a = a + 2 + n
end
if d > 0 and redis.call('LLEN', KEYS[2]) == d then
  redis.call('DEL', KEYS[2])
else
  for i = 2, 1 + d do
    redis.call('LREM', KEYS[2], -1, ARGV[i])
  end
end
if d > 0 then
  redis.call('INCRBY', KEYS[3], d)
  redis.call('INCRBY', KEYS[4], d)
end
return pushed
