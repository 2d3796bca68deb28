-- Read-only: the length and the head (oldest) job of each queue, in one round trip.
-- KEYS queue:<q>...
-- Returns {len1, head1 or "", len2, head2 or "", ...}
local out = {}
for _, key in ipairs(KEYS) do
  local len = redis.call('LLEN', key)
  local head = ''
  if len > 0 then
    head = redis.call('LINDEX', key, 0) or ''
  end
  table.insert(out, len)
  table.insert(out, head)
end
return out
