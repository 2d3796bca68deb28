-- Moves one batch of due delayed items onto their queues (spec 8.3), all or nothing: resque-scheduler's
-- WATCH/LRANGE/MULTI as one script. The batch is what the caller read from the head of the list; if the
-- head changed since (another scheduler, Java or Ruby, moved it), nothing is done and -1 is returned, so
-- every item moves exactly once. An emptied list is removed together with its schedule entry.
-- KEYS[1] delayed:<ts>, KEYS[2] delayed_queue_schedule, KEYS[3] queues,
--   then per item: KEYS[2+2i] timestamps:<item>, KEYS[3+2i] its queue list (or the failed list)
-- ARGV[1] ts (the schedule member), ARGV[2] "delayed:<ts>" (the timestamps member), ARGV[3] n,
--   then per item: ARGV[1+3i] the item as read, ARGV[2+3i] queue name ("" for a failure), ARGV[3+3i] what to push
-- Returns the number of items left in the list, or -1 when the batch was no longer at its head.
local n = tonumber(ARGV[3])
if n > 0 then
  local head = redis.call('LRANGE', KEYS[1], 0, n - 1)
  if #head ~= n then
    return -1
  end
  for i = 1, n do
    if head[i] ~= ARGV[1 + 3 * i] then
      return -1
    end
  end
end
for i = 1, n do
  redis.call('SREM', KEYS[2 + 2 * i], ARGV[2])
  local queue = ARGV[2 + 3 * i]
  if queue ~= '' then
    redis.call('SADD', KEYS[3], queue)
  end
  redis.call('RPUSH', KEYS[3 + 2 * i], ARGV[3 + 3 * i])
end
if n > 0 then
  redis.call('LTRIM', KEYS[1], n, -1)
end
local left = redis.call('LLEN', KEYS[1])
if left == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return left
