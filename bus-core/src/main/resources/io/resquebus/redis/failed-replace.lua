-- Changes one failed entry only if it is still the one the caller read (the list may have shifted):
-- replaces it (or deletes it when ARGV[3] is empty) and, when ARGV[4] is given, re-enqueues a payload.
-- KEYS[1] failed, KEYS[2] queues, KEYS[3] queue:<q>
-- ARGV[1] index, ARGV[2] entry as read, ARGV[3] new entry or "", ARGV[4] payload or "", ARGV[5] queue name
local current = redis.call('LINDEX', KEYS[1], ARGV[1])
if current ~= ARGV[2] then
  return 0
end
if ARGV[4] ~= '' then
  redis.call('SADD', KEYS[2], ARGV[5])
  redis.call('RPUSH', KEYS[3], ARGV[4])
end
if ARGV[3] == '' then
  local marker = '__resquebus_deleted__' .. redis.sha1hex(ARGV[2])
  redis.call('LSET', KEYS[1], ARGV[1], marker)
  redis.call('LREM', KEYS[1], 1, marker)
else
  redis.call('LSET', KEYS[1], ARGV[1], ARGV[3])
end
return 1
