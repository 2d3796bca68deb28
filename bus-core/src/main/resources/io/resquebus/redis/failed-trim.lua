-- Cluster mode: keeps the failed list within its limits after a failure entry was pushed in a step
-- of its own, as fail.lua does in the same step: at most ARGV[1] entries (0: no limit), and at most
-- ARGV[2] bytes of MEMORY USAGE (0: no limit), the oldest going first, the newest always staying.
-- KEYS[1] failed. Returns how many entries were dropped.
local dropped = 0
local max = tonumber(ARGV[1])
if max > 0 then
  local over = redis.call('LLEN', KEYS[1]) - max
  if over > 0 then
    redis.call('LTRIM', KEYS[1], over, -1)
    dropped = over
  end
end
local maxBytes = tonumber(ARGV[2])
if maxBytes > 0 then
  while redis.call('LLEN', KEYS[1]) > 1
      and redis.call('MEMORY', 'USAGE', KEYS[1], 'SAMPLES', '0') > maxBytes do
    redis.call('LPOP', KEYS[1])
    dropped = dropped + 1
  end
end
return dropped
