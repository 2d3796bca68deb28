-- Read-only: the failed list's length and a page of its entries, each at most ARGV[3] bytes, so a
-- huge entry never leaves Redis whole. An entry over the limit is decoded here and sent as its small
-- fields (error cut to the limit, backtrace to 20 lines) plus the first ARGV[3] bytes of its payload
-- as stored.
-- KEYS[1] failed; ARGV[1] start, ARGV[2] stop (stop < start: the length only), ARGV[3] byte limit
-- Returns {length, then per entry: bytes, sha1 of the entry, 0 and the entry | 1, small fields, payload start}
local out = { redis.call('LLEN', KEYS[1]) }
local start, stop, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if stop < start then
  return out
end
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], start, stop)) do
  table.insert(out, #entry)
  table.insert(out, redis.sha1hex(entry))
  if #entry <= limit then
    table.insert(out, 0)
    table.insert(out, entry)
    table.insert(out, '')
  else
    local ok, decoded = pcall(cjson.decode, entry)
    local small, payload = {}, entry
    if ok and type(decoded) == 'table' then
      for _, name in ipairs({ 'failed_at', 'exception', 'worker', 'queue', 'retried_at' }) do
        if type(decoded[name]) == 'string' then
          small[name] = string.sub(decoded[name], 1, limit)
        end
      end
      if type(decoded.error) == 'string' then
        small.error = string.sub(decoded.error, 1, limit)
      end
      if type(decoded.backtrace) == 'table' then
        local lines = {}
        for i = 1, math.min(20, #decoded.backtrace) do
          lines[i] = string.sub(tostring(decoded.backtrace[i]), 1, 1024)
        end
        small.backtrace = lines
      end
      if type(decoded.payload) == 'string' then
        payload = decoded.payload
      elseif decoded.payload ~= nil then
        -- the payload's own bytes, as stored (re-encoding would reorder its keys)
        local at = string.find(entry, '"payload":', 1, true)
        payload = at and string.sub(entry, at + 10, at + 9 + limit) or cjson.encode(decoded.payload)
      end
    end
    table.insert(out, 1)
    table.insert(out, cjson.encode(small))
    table.insert(out, string.sub(payload, 1, limit))
  end
end
return out
