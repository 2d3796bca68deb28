-- Cluster mode: keeps the failed list within its limits after a failure entry was pushed in a step
-- of its own, as fail.lua does in the same step: at most ARGV[1] entries (0: no limit), and at most
-- ARGV[2] bytes of MEMORY USAGE (0: no limit), the oldest going first, the newest always staying.
-- KEYS[1] failed. Returns how many entries were dropped.
-- include: failed-list-limits
return trim_failed(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
