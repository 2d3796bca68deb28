-- A part, not a script: BusScript puts it in place of the include line of the scripts that need it.
-- Replaces the hash at key at once with the field, value pairs ARGV[from..]: they are written to
-- the build area first, which is then renamed over key. Returns how many fields the hash has.
local function replace_hash(build, key, from)
  redis.call('DEL', build)
  for i = from, #ARGV, 2 do
    redis.call('HSET', build, ARGV[i], ARGV[i + 1])
  end
  redis.call('RENAME', build, key)
  return (#ARGV - from + 1) / 2
end
