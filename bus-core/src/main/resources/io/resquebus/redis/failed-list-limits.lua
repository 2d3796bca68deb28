-- A part, not a script: BusScript puts it in place of the include line of the scripts that need it.
-- Keeps the failed list within its limits: at most max entries (0: no limit) and at most maxBytes of
-- MEMORY USAGE (0: no limit), the oldest going first, the newest always staying. MEMORY USAGE with
-- SAMPLES 0 walks the list's nodes (one per ~8 KB of small entries, one per large entry), never its
-- bytes. Returns how many entries were dropped.
local function trim_failed(key, max, maxBytes)
  local dropped = 0
  if max > 0 then
    local over = redis.call('LLEN', key) - max
    if over > 0 then
      redis.call('LTRIM', key, over, -1)
      dropped = over
    end
  end
  if maxBytes > 0 then
    while redis.call('LLEN', key) > 1
        and redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0') > maxBytes do
      redis.call('LPOP', key)
      dropped = dropped + 1
    end
  end
  return dropped
end
