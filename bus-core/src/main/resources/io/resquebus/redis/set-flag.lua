-- Sets KEYS[1] to ARGV[1], or deletes it when ARGV[1] is empty.
if ARGV[1] == '' then
  return redis.call('DEL', KEYS[1])
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
