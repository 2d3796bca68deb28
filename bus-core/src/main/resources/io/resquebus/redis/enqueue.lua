-- Pushes jobs onto one Resque queue and registers the queue, as Resque.push does.
-- KEYS[1] queues set, KEYS[2] queue list; ARGV[1] queue name, ARGV[2..] jobs
redis.call('SADD', KEYS[1], ARGV[1])
for i = 2, #ARGV do
  redis.call('RPUSH', KEYS[2], ARGV[i])
end
return #ARGV - 1
