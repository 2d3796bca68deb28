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

-- include: ack-lists

local _, total = ack_lists(4, 1, q, 3, gone)
if ARGV[2] == '1' then
  gone[#gone + 1] = KEYS[3]
end
for k = 4 + q, #KEYS do
  gone[#gone + 1] = KEYS[k]
end
ack_done(gone, total, KEYS[1], KEYS[2])
return total
