-- Gives fetched jobs that never started back to the head of their queue, in their original order.
-- KEYS[1] in-flight list, KEYS[2] queue list; ARGV jobs in the order they were fetched
local n = 0
for i = #ARGV, 1, -1 do
  if redis.call('LREM', KEYS[1], -1, ARGV[i]) > 0 then
    redis.call('LPUSH', KEYS[2], ARGV[i])
    n = n + 1
  end
end
return n
