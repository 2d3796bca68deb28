-- Cluster mode: takes, renews or gives back a lease held by one process at a time. KEYS[1] the
-- lease; ARGV[1] the holder's id, ARGV[2] its time to live in milliseconds, or 0 to give it back.
-- Returns 1 when the caller holds it (now or still), else 0 (always 0 after giving it back).
local holder = redis.call('GET', KEYS[1])
if ARGV[2] == '0' then
  if holder == ARGV[1] then
    redis.call('DEL', KEYS[1])
  end
  return 0
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
