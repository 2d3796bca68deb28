-- Puts everything left in a consumer's own in-flight list back at the head of the queue, in order.
-- Run by a consumer before it fetches, so a reconnect or restart never strands its own jobs.
-- KEYS[1] in-flight list, KEYS[2] queue list
local n = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT') do
  n = n + 1
end
return n
