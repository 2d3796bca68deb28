-- Pushes jobs onto one Resque queue and registers the queue, as Resque.push does.
-- KEYS[1] queues set, KEYS[2] queue list; ARGV[1] queue name, ARGV[2..] jobs
redis.call('SADD', KEYS[1], ARGV[1])
-- One push for many jobs; unpack is bounded by Lua's C stack, so at most 1000 values a call.
for i = 2, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return #ARGV - 1
