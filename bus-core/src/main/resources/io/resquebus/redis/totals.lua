-- Read-only: the overview's figures in one round trip, Redis's own from INFO (allowed in scripts
-- since Redis 7, as SRANDMEMBER is).
-- KEYS[1] stat:processed, KEYS[2] stat:failed, KEYS[3] failed, KEYS[4] workers, KEYS[5] the
-- heartbeat timestamp, KEYS[6] pause-all-workers; ARGV[1] how many workers to sample
-- Returns {processed, failed total, failed count, workers, heartbeat, pause-all, version, used memory,
-- then the sampled worker ids}; a missing value is ""
local out = {
  redis.call('GET', KEYS[1]) or '', redis.call('GET', KEYS[2]) or '', redis.call('LLEN', KEYS[3]),
  redis.call('SCARD', KEYS[4]), redis.call('GET', KEYS[5]) or '', redis.call('GET', KEYS[6]) or '',
  string.match(redis.call('INFO', 'server'), 'redis_version:([^\r\n]*)') or '',
  string.match(redis.call('INFO', 'memory'), 'used_memory_human:([^\r\n]*)') or '' }
for _, id in ipairs(redis.call('SRANDMEMBER', KEYS[4], tonumber(ARGV[1]))) do
  table.insert(out, id)
end
return out
