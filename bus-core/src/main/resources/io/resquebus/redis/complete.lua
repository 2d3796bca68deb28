-- Acknowledges jobs that ran: removes them from the in-flight list and counts them processed.
-- KEYS[1] in-flight list, KEYS[2] stat:processed, KEYS[3] stat:processed:<worker>,
-- KEYS[4] worker:<id> (what resque-web shows it doing), KEYS[5..] (optional) resque-retry counters of the
-- jobs, deleted as resque-retry does on success; ARGV jobs
for i = 1, #ARGV do
  redis.call('LREM', KEYS[1], -1, ARGV[i])
end
redis.call('INCRBY', KEYS[2], #ARGV)
redis.call('INCRBY', KEYS[3], #ARGV)
redis.call('DEL', KEYS[4])
for i = 5, #KEYS do
  redis.call('DEL', KEYS[i])
end
return #ARGV
