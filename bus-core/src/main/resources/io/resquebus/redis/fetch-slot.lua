-- Cluster mode's fetch from one queue (one slot): moves up to ARGV[1] jobs from the head of KEYS[1],
-- the queue, to the tail of KEYS[2], its in-flight list, a few at a time (LRANGE, LTRIM, one RPUSH):
-- first 10, then as many as were taken so far. A job over ARGV[2] bytes (0: no limit) ends the batch
-- and stays last in the in-flight list; the reply then ends with -1, its size and its first ARGV[3]
-- bytes as a JSON string body, which the caller records on the failed list (another slot) before it
-- drops the job from the in-flight list. Every job read is copied into the script, big ones too: at
-- most 10, or as many as went before them in the call. With a limit, ARGV[4] is how many bytes the
-- batch may still take: the call stops taking jobs once those it took reach it (the first always fits).
-- Returns the jobs moved, then possibly that marker.
local max = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local room = (limit > 0) and tonumber(ARGV[4]) or 0
local bytes = 0
local out = {}
local n = 0
local chunk = 10

-- include: json-text

while n < max and (limit == 0 or bytes < room) do
  local want = math.min(chunk, max - n)
  local jobs = redis.call('LRANGE', KEYS[1], 0, want - 1)
  if #jobs == 0 then break end
  local taken, big = #jobs, nil
  if limit > 0 then
    for k = 1, #jobs do
      if bytes >= room then
        taken = k - 1 -- the batch holds its bytes: the rest stays queued
        break
      end
      if #jobs[k] > limit then
        big = jobs[k]
        taken = k
        break
      end
      bytes = bytes + #jobs[k]
    end
  end
  redis.call('LTRIM', KEYS[1], taken, -1)
  for k = 1, taken, 1000 do
    redis.call('RPUSH', KEYS[2], unpack(jobs, k, math.min(k + 999, taken)))
  end
  for k = 1, big and (taken - 1) or taken do
    out[#out + 1] = jobs[k]
  end
  n = n + taken
  if big then
    out[#out + 1] = -1
    out[#out + 1] = #big
    out[#out + 1] = json_text(string.sub(big, 1, tonumber(ARGV[3])))
    break
  end
  if taken < want then break end
  chunk = n
end
return out
