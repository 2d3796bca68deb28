-- Reliable fetch: moves up to ARGV[1] jobs from the head of the queues, highest priority first,
-- to the tail of each queue's in-flight list. Returns pairs: queue index (1-based), job.
-- KEYS: queue1, inflight1, queue2, inflight2, ...
local max = tonumber(ARGV[1])
local out = {}
local n = 0
for i = 1, #KEYS, 2 do
  while n < max do
    local job = redis.call('LMOVE', KEYS[i], KEYS[i + 1], 'LEFT', 'RIGHT')
    if not job then break end
    n = n + 1
    out[#out + 1] = (i + 1) / 2
    out[#out + 1] = job
  end
  if n >= max then break end
end
return out
