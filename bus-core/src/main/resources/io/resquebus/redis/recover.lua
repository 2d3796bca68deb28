-- Takes back the in-flight jobs of a consumer whose lease expired: back to the head of each
-- queue in their order; then the dead consumer's entries go. Does nothing while the lease exists,
-- so a live consumer's running jobs are never handed out twice.
-- KEYS[1] lease, KEYS[2] java-bus:consumers, KEYS[3] queues, KEYS[4] workers, KEYS[5] worker:<id>,
-- KEYS[6] worker:<id>:started, KEYS[7] workers:heartbeat, then per queue: in-flight list, queue list
-- ARGV[1] consumer id, ARGV[2..] the queue names, in the order of the key pairs
if redis.call('EXISTS', KEYS[1]) == 1 then
  return -1
end
local n = 0
for k = 8, #KEYS, 2 do
  local moved = 0
  while redis.call('LMOVE', KEYS[k], KEYS[k + 1], 'RIGHT', 'LEFT') do
    moved = moved + 1
  end
  if moved > 0 then
    redis.call('SADD', KEYS[3], ARGV[2 + (k - 8) / 2])
  end
  n = n + moved
end
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('DEL', KEYS[5], KEYS[6])
redis.call('HDEL', KEYS[7], ARGV[1])
return n
