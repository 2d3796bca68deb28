-- Reliable fetch: moves up to ARGV[1] jobs from the head of the queues, highest priority first,
-- to the tail of each queue's in-flight list. Returns pairs: queue index (1-based), job.
-- A job over ARGV[2] bytes (0: no limit) never leaves Redis: it goes from the in-flight list to the
-- failed list at once, as a failure entry with its first ARGV[4] bytes as payload and its size,
-- counted processed and failed; the pair returned for it is: minus the queue index, its size, and
-- the batch ends there (every job moved is copied into the script, which takes time in proportion).
-- The entry is built from parts the caller made in Resque's format, around the payload, size and limit:
--   ARGV[5] <payload> ARGV[6] <size> ARGV[7] <limit> ARGV[7 + queue index]
-- ARGV[3] most entries the failed list keeps (0: no limit); a last pair 0, n tells how many old
-- entries were dropped for that.
-- KEYS[1] failed, KEYS[2] stat:processed, KEYS[3] stat:processed:<worker>, KEYS[4] stat:failed,
-- KEYS[5] stat:failed:<worker>, then per queue: queue, inflight
local max = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local out = {}
local n = 0
local refused = 0

-- include: json-text

for i = 6, #KEYS, 2 do
  while n < max do
    local job = redis.call('LMOVE', KEYS[i], KEYS[i + 1], 'LEFT', 'RIGHT')
    if not job then break end
    n = n + 1
    local q = (i - 4) / 2
    if limit > 0 and #job > limit then
      redis.call('LTRIM', KEYS[i + 1], 0, -2)
      redis.call('RPUSH', KEYS[1], ARGV[5] .. json_text(string.sub(job, 1, tonumber(ARGV[4])))
        .. ARGV[6] .. #job .. ARGV[7] .. limit .. ARGV[7 + q])
      for k = 2, 5 do
        redis.call('INCR', KEYS[k])
      end
      refused = refused + 1
      out[#out + 1] = -q
      out[#out + 1] = #job
      max = n -- a call copies at most one big job into the script: Redis stays responsive
    else
      out[#out + 1] = q
      out[#out + 1] = job
    end
    job = nil
  end
  if n >= max then break end
end
if refused > 0 then
  local keep = tonumber(ARGV[3])
  local over = (keep > 0) and (redis.call('LLEN', KEYS[1]) - keep) or 0
  if over > 0 then
    redis.call('LTRIM', KEYS[1], over, -1)
    out[#out + 1] = 0
    out[#out + 1] = over
  end
end
return out
