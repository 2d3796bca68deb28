-- Changes failed entries only if each is still the one the caller read (the list may have shifted):
-- replaces it (or deletes it when its new entry is empty) and, when a payload is given, re-enqueues it.
-- KEYS[1] failed, KEYS[2] queues, KEYS[2+i] queue:<q> of the i-th entry
-- ARGV per entry, 5 each: index, entry as read, new entry or "", payload or "", queue name
-- Returns how many entries were changed.
local done = 0
for i = 0, (#ARGV / 5) - 1 do
  local index, read, new, payload, queue = ARGV[5*i+1], ARGV[5*i+2], ARGV[5*i+3], ARGV[5*i+4], ARGV[5*i+5]
  if redis.call('LINDEX', KEYS[1], index) == read then
    if payload ~= '' then
      redis.call('SADD', KEYS[2], queue)
      redis.call('RPUSH', KEYS[3+i], payload)
    end
    if new == '' then
      local marker = '__resquebus_deleted__' .. redis.sha1hex(read)
      redis.call('LSET', KEYS[1], index, marker)
      redis.call('LREM', KEYS[1], 1, marker)
    else
      redis.call('LSET', KEYS[1], index, new)
    end
    done = done + 1
  end
end
return done
