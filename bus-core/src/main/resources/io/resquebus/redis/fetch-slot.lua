-- Cluster mode's fetch from one queue (one slot): moves up to ARGV[1] jobs from the head of KEYS[1],
-- the queue, to the tail of KEYS[2], its in-flight list. A job over ARGV[2] bytes (0: no limit) ends
-- the batch and stays last in the in-flight list; the reply then ends with -1, its size and its first
-- ARGV[3] bytes as a JSON string body, which the caller records on the failed list (another slot)
-- before it drops the job from the in-flight list.
-- Returns the jobs moved, then possibly that marker.
local max = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local out = {}

-- include: json-text

for n = 1, max do
  local job = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
  if not job then break end
  if limit > 0 and #job > limit then
    out[#out + 1] = -1
    out[#out + 1] = #job
    out[#out + 1] = json_text(string.sub(job, 1, tonumber(ARGV[3])))
    break
  end
  out[#out + 1] = job
end
return out
