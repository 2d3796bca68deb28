-- Cluster mode: removes the head of a list only if it is still the value the caller read and handled
-- (another process may have taken it meanwhile). KEYS[1] the list; ARGV[1] the value.
-- Returns how many entries are left, or -1 when the head was another value.
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then
  return -1
end
redis.call('LPOP', KEYS[1])
return redis.call('LLEN', KEYS[1])
