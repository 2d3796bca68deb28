-- Read-only: what Resque's UI shows for a page of workers, in one round trip; a current job larger
-- than ARGV[1] bytes is cut there (the reader shows it as text).
-- KEYS[1] workers:heartbeat; then per worker KEYS worker:<id>, worker:<id>:started
-- ARGV[1] byte limit of a job, then the worker ids
-- Returns {heartbeat or "", current job or "", started or "", ...} per worker
local limit = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV do
  local n = i - 1
  table.insert(out, redis.call('HGET', KEYS[1], ARGV[i]) or '')
  table.insert(out, string.sub(redis.call('GET', KEYS[2 * n]) or '', 1, limit))
  table.insert(out, redis.call('GET', KEYS[2 * n + 1]) or '')
end
return out
