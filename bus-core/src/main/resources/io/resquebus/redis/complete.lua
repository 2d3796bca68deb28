-- Acknowledges jobs that ran, any number at once: removes them from the in-flight lists and counts
-- them processed. An in-flight list holding just the jobs acknowledged (its batch is over: only this
-- consumer fetches into it) is deleted in one step; otherwise each job is removed by its exact bytes,
-- from the head, where the oldest jobs of the batch are.
-- KEYS[1] stat:processed, KEYS[2] stat:processed:<worker>, KEYS[3] worker:<id> (what resque-web shows
-- it doing), KEYS[4..3+q] the in-flight lists, KEYS[4+q..] (optional) resque-retry counters of the jobs,
-- deleted as resque-retry does on success.
-- ARGV[1] q, ARGV[2] '1' to delete worker:<id> (the batch is over), then per in-flight list: how many
-- of its jobs follow, and those jobs.
local q = tonumber(ARGV[1])
local gone = {}
local a = 3
local total = 0
for k = 4, 3 + q do
  local n = tonumber(ARGV[a])
  if n > 0 and redis.call('LLEN', KEYS[k]) == n then
    gone[#gone + 1] = KEYS[k]
  else
    for i = a + 1, a + n do
      redis.call('LREM', KEYS[k], 1, ARGV[i])
    end
  end
  a = a + n + 1
  total = total + n
end
if ARGV[2] == '1' then
  gone[#gone + 1] = KEYS[3]
end
for k = 4 + q, #KEYS do
  gone[#gone + 1] = KEYS[k]
end
-- One DEL for all; unpack is bounded by Lua's C stack, so at most 1000 keys a call.
for i = 1, #gone, 1000 do
  redis.call('DEL', unpack(gone, i, math.min(i + 999, #gone)))
end
if total > 0 then
  redis.call('INCRBY', KEYS[1], total)
  redis.call('INCRBY', KEYS[2], total)
end
return total
