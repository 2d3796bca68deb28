-- Read-only: what Resque's UI shows for a page of workers, in one round trip.
-- KEYS[1] workers:heartbeat; then per worker KEYS worker:<id>, worker:<id>:started; ARGV worker ids
-- Returns {heartbeat or "", current job or "", started or "", ...} per worker
local out = {}
for i, id in ipairs(ARGV) do
  table.insert(out, redis.call('HGET', KEYS[1], id) or '')
  table.insert(out, redis.call('GET', KEYS[2 * i]) or '')
  table.insert(out, redis.call('GET', KEYS[2 * i + 1]) or '')
end
return out
