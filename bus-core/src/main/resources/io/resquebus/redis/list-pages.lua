-- Read-only: a page of each list, every value cut to ARGV[3] bytes here, so a huge job never leaves
-- Redis whole; its full size goes with it.
-- KEYS lists; ARGV[1] start, ARGV[2] stop, ARGV[3] byte limit of a value
-- Returns per list: {length, n, then n times: bytes, value (cut)}
local start, stop, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for _, key in ipairs(KEYS) do
  local items = redis.call('LRANGE', key, start, stop)
  table.insert(out, redis.call('LLEN', key))
  table.insert(out, #items)
  for _, item in ipairs(items) do
    table.insert(out, #item)
    table.insert(out, string.sub(item, 1, limit))
  end
end
return out
