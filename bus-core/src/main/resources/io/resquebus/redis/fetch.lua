-- Reliable fetch, after finishing the consumer's previous batch in the same step.
-- First what the batch left: a driver's fan-out (every fanned-out job pushed, its queue registered),
-- then the acknowledgement, as complete.lua does: the jobs that ran leave the in-flight lists (a list
-- holding just them is deleted in one step, else each is removed by its exact bytes from the head), are
-- counted processed, their resque-retry counters deleted, and the job record too when asked. Jobs
-- acknowledged without their bytes (-n) need their list to hold just them: when one does not, nothing
-- is written nor fetched and the reply is {-1}, asking for the call again with the jobs.
-- Then the fetch: moves up to ARGV[1] jobs from the head of the queues, highest priority first, to the
-- tail of each queue's in-flight list, a few at a time (LRANGE, LTRIM, one RPUSH): first 10, then as many
-- as were taken so far; or a whole queue at once (RENAME) when it all fits. Returns pairs: queue index
-- (1-based), job.
-- A job over the size limit (0: no limit) never leaves Redis: it goes from the queue to the failed list
-- at once, as a failure entry with its first bytes as payload and its size, counted processed and failed;
-- the pair returned for it is: minus the queue index, its size, and the batch ends with the jobs read
-- with it. With a limit, a batch also ends once the jobs it holds reach the limit in bytes together (a
-- job within the limit always fits): what is left stays queued, so a batch's bytes stay near the limit
-- however large the batch size. Every job read is copied into the script once, big ones too: at most
-- 10, or as many as went before them in the call.
-- The entry is built from parts the caller made in Resque's format, around the payload, size and limit.
-- With record parts, the first job fetched is shown in the job record (worker:<id>, what resque-web
-- shows the consumer doing): the parts of its queue around it.
-- With a key to read, its value (what GET returns, '0' when it is missing) ends the reply as the pair
-- q + 1, value: read in the same step as the jobs (a driver routes them by the registry version read
-- so, which every subscribe made before they were published has bumped).
-- KEYS[1] failed, KEYS[2] stat:processed, KEYS[3] stat:processed:<worker>, KEYS[4] stat:failed,
-- KEYS[5] stat:failed:<worker>, KEYS[6] worker:<id>, then per queue: queue, inflight; then, with a
-- fan-out of p queues, the queues set and those p queue lists; then the resque-retry counters of the
-- jobs acknowledged; then, last, the key to read, if any.
-- ARGV[1] batch size, ARGV[2] q (how many queues), ARGV[3] '1' to delete worker:<id>, ARGV[4] flags:
-- 1 when record parts follow, plus 2 when the last key is to be read; the record parts: per queue, the
-- record before and after the job; then per queue: how many of its
-- jobs are acknowledged (see ack-lists), and those jobs; then p, and per fan-out queue: its name, the
-- number of its jobs and those jobs, in order; then, from index s, the size limit: limit (0: none), and
-- with one: most entries the failed list keeps (0: no limit), bytes of a big job kept, then the entry
-- parts: ARGV[s+3] <payload> ARGV[s+4] <size> ARGV[s+5] <limit> ARGV[s+5+queue index].
-- A last pair 0, n tells how many old failure entries were dropped to keep the failed list within its size.
local max = tonumber(ARGV[1])
local q = tonumber(ARGV[2])
local out = {}
local n = 0
local refused = 0

-- include: json-text

-- include: ack-lists

local flags = tonumber(ARGV[4])
local record = flags % 2 == 1
local read = flags >= 2
local counters = #KEYS - (read and 1 or 0)
local acks = record and (5 + 2 * q) or 5
local sure, a = ack_sure(8, 2, q, acks)
if not sure then
  return {-1}
end

-- The fan-out of the previous batch, before its driven jobs leave the in-flight list.
local p = tonumber(ARGV[a])
a = a + 1
local c = 7 + 2 * q
if p > 0 then
  for k = c + 1, c + p do
    local m = tonumber(ARGV[a + 1])
    redis.call('SADD', KEYS[c], ARGV[a])
    -- unpack is bounded by Lua's C stack, so at most 1000 values a call
    for i = a + 2, a + 1 + m, 1000 do
      redis.call('RPUSH', KEYS[k], unpack(ARGV, i, math.min(i + 999, a + 1 + m)))
    end
    a = a + 2 + m
  end
  c = c + 1 + p
end

-- The acknowledgement of the previous batch.
local gone = {}
local _, total = ack_lists(8, 2, q, acks, gone)
for k = c, counters do
  gone[#gone + 1] = KEYS[k]
end
ack_done(gone, total, KEYS[2], KEYS[3])

-- The fetch.
local s = a
local limit = tonumber(ARGV[s])
local bytes = 0
for i = 7, 5 + 2 * q, 2 do
  if limit > 0 and bytes >= limit then break end
  local chunk = 10
  local queue = (i - 5) / 2
  -- A queue the batch takes whole, into an in-flight list that holds nothing, moves in one step when
  -- it is within the size limit as a whole (so each of its jobs is): no job is copied through the
  -- script but to be returned. Where the server refuses MEMORY or RENAME (renamed away, as some
  -- managed Redis services do), the jobs are copied as below.
  local len = redis.call('LLEN', KEYS[i])
  local whole = len > 0 and len <= max - n
  local usage = 0
  if whole and limit > 0 then
    usage = redis.pcall('MEMORY', 'USAGE', KEYS[i], 'SAMPLES', '0')
  end
  if whole and type(usage) == 'number' and usage <= limit and redis.call('EXISTS', KEYS[i + 1]) == 0
      and type(redis.pcall('RENAME', KEYS[i], KEYS[i + 1]).ok) == 'string' then
    local jobs = redis.call('LRANGE', KEYS[i + 1], 0, -1)
    for k = 1, #jobs do
      out[#out + 1] = queue
      out[#out + 1] = jobs[k]
      bytes = bytes + #jobs[k]
    end
    n = n + #jobs
    len = 0
  end
  while len > 0 and n < max and (limit == 0 or bytes < limit) do
    local want = math.min(chunk, max - n)
    local jobs = redis.call('LRANGE', KEYS[i], 0, want - 1)
    if #jobs == 0 then break end
    local kept, big = {}, 0
    for k = 1, #jobs do
      if limit > 0 and bytes >= limit then
        break -- the batch holds the limit in bytes: the rest stays queued
      end
      local job = jobs[k]
      jobs[k] = nil
      if limit > 0 and #job > limit then
        redis.call('RPUSH', KEYS[1], ARGV[s + 3] .. json_text(string.sub(job, 1, tonumber(ARGV[s + 2])))
          .. ARGV[s + 4] .. #job .. ARGV[s + 5] .. limit .. ARGV[s + 5 + queue])
        for c = 2, 5 do
          redis.call('INCR', KEYS[c])
        end
        refused = refused + 1
        big = big + 1
        out[#out + 1] = -queue
        out[#out + 1] = #job
      else
        kept[#kept + 1] = job
        bytes = bytes + #job
        out[#out + 1] = queue
        out[#out + 1] = job
      end
      job = nil
    end
    local taken = #kept + big
    redis.call('LTRIM', KEYS[i], taken, -1)
    for k = 1, #kept, 1000 do
      redis.call('RPUSH', KEYS[i + 1], unpack(kept, k, math.min(k + 999, #kept)))
    end
    n = n + taken
    kept = nil
    if big > 0 then
      max = n -- the batch ends with the chunk that had big jobs: a call copies at most one chunk of them
    end
    if taken < want then break end
    chunk = n
  end
  if n >= max then break end
end
-- The job record: the first job fetched, else none if the batch before was shown.
local first = 1
while out[first] and out[first] < 0 do
  first = first + 2
end
if record and out[first] then
  redis.call('SET', KEYS[6], ARGV[3 + 2 * out[first]] .. out[first + 1] .. ARGV[4 + 2 * out[first]])
elseif ARGV[3] == '1' then
  redis.call('DEL', KEYS[6])
end
if refused > 0 then
  local keep = tonumber(ARGV[s + 1])
  local over = (keep > 0) and (redis.call('LLEN', KEYS[1]) - keep) or 0
  if over > 0 then
    redis.call('LTRIM', KEYS[1], over, -1)
    out[#out + 1] = 0
    out[#out + 1] = over
  end
end
if read then
  out[#out + 1] = q + 1
  out[#out + 1] = redis.call('GET', KEYS[#KEYS]) or '0'
end
return out
