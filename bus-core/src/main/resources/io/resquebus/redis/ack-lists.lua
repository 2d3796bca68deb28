-- A part, not a script: BusScript puts it in place of the include line of the scripts that need it.
-- Acknowledges jobs that ran on count in-flight lists, KEYS[first], KEYS[first + step], ...: for each,
-- ARGV[a] says how many of its jobs are acknowledged: n, and those n jobs follow; or -n, and they do not
-- (the caller expects the list to hold just them, which ack_sure checks before anything is written).
-- A list holding just those jobs (its batch is over: only its consumer fetches into it) joins gone, to
-- be deleted in one step; otherwise each job is removed by its exact bytes from the head, where the
-- oldest jobs of the batch are.
-- Returns the ARGV index after the last list's jobs, and how many jobs were acknowledged.
local function ack_lists(first, step, count, a, gone)
  local total = 0
  for j = 0, count - 1 do
    local k = first + j * step
    local done = tonumber(ARGV[a])
    local sent = math.max(done, 0)
    done = math.abs(done)
    if done > 0 and redis.call('LLEN', KEYS[k]) == done then
      gone[#gone + 1] = KEYS[k]
    else
      for i = a + 1, a + sent do
        redis.call('LREM', KEYS[k], 1, ARGV[i])
      end
    end
    a = a + sent + 1
    total = total + done
  end
  return a, total
end

-- Whether every list acknowledged without its jobs (-n) holds just n jobs, so that ack_lists can delete
-- it; when one does not, the caller writes nothing and is asked for the jobs. Returns that, and the ARGV
-- index after the last list's jobs.
local function ack_sure(first, step, count, a)
  local sure = true
  for j = 0, count - 1 do
    local done = tonumber(ARGV[a])
    if done < 0 and redis.call('LLEN', KEYS[first + j * step]) ~= -done then
      sure = false
    end
    a = a + math.max(done, 0) + 1
  end
  return sure, a
end

-- Deletes the keys in gone and counts total jobs processed, in all and for the worker.
local function ack_done(gone, total, processed, processed_by_worker)
  -- One DEL for all; unpack is bounded by Lua's C stack, so at most 1000 keys a call.
  for i = 1, #gone, 1000 do
    redis.call('DEL', unpack(gone, i, math.min(i + 999, #gone)))
  end
  if total > 0 then
    redis.call('INCRBY', processed, total)
    redis.call('INCRBY', processed_by_worker, total)
  end
end
