-- Cluster mode: records pushes a driver made, each in its event's progress set (all in bus_incoming's
-- slot), kept ARGV[1] seconds at most. KEYS the progress sets; ARGV[2..] per set i its member.
for i = 1, #KEYS do
  redis.call('SADD', KEYS[i], ARGV[i + 1])
  redis.call('EXPIRE', KEYS[i], ARGV[1])
end
return #KEYS
