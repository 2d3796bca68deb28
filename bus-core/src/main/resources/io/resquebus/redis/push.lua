-- Pushes jobs onto several Resque queues at once, registering each queue as Resque.push does, all or
-- nothing: a publisher's own fan-out in standalone mode, or many plain jobs. One RPUSH a queue (not
-- one a job): what a script copies it pays for per command as well as per byte.
-- KEYS[1] queues set, KEYS[2..] the queue lists, each once; ARGV per queue, in the order of KEYS: its
-- name, the number n of its jobs, then those n jobs in order. Returns how many jobs were pushed.
local a = 1
local pushed = 0
for k = 2, #KEYS do
  local n = tonumber(ARGV[a + 1])
  redis.call('SADD', KEYS[1], ARGV[a])
  -- unpack is bounded by Lua's C stack, so at most 1000 values a call
  for i = a + 2, a + 1 + n, 1000 do
    redis.call('RPUSH', KEYS[k], unpack(ARGV, i, math.min(i + 999, a + 1 + n)))
  end
  a = a + 2 + n
  pushed = pushed + n
end
return pushed
