-- Pushes jobs onto several Resque queues at once, registering each queue as Resque.push does: a
-- publisher's own fan-out in standalone mode, all or nothing.
-- KEYS[1] queues set, KEYS[2..] the queue list of each push; ARGV per push: queue name, job
for k = 2, #KEYS do
  local a = (k - 2) * 2 + 1
  redis.call('SADD', KEYS[1], ARGV[a])
  redis.call('RPUSH', KEYS[k], ARGV[a + 1])
end
return #KEYS - 1
