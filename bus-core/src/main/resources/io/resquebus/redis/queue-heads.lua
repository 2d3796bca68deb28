-- Read-only: the length and the head (oldest) job of each queue, in one round trip. A head larger
-- than ARGV[1] bytes is not sent: its enqueue time is read here from its first bytes instead (queue-bus
-- puts bus_driven_at, else bus_published_at, first in the event).
-- KEYS queue:<q>...; ARGV[1] byte limit of a head
-- Returns {len1, head1 or "", time1 or "", len2, ...}
local limit = tonumber(ARGV[1])
local out = {}
for _, key in ipairs(KEYS) do
  local len = redis.call('LLEN', key)
  local head, at = '', ''
  if len > 0 then
    head = redis.call('LINDEX', key, 0) or ''
  end
  if #head > limit then
    local start = string.sub(head, 1, 4096)
    at = string.match(start, 'bus_driven_at\\":(%d+)') or string.match(start, 'bus_published_at\\":(%d+)') or ''
    head = ''
  end
  table.insert(out, len)
  table.insert(out, head)
  table.insert(out, at)
end
return out
