-- Read-only: one SSCAN step of a set (never SMEMBERS on a set of unknown size).
-- KEYS[1] set; ARGV[1] cursor, ARGV[2] COUNT hint
-- Returns {next cursor, member...}
local reply = redis.call('SSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
local out = { reply[1] }
for _, member in ipairs(reply[2]) do
  table.insert(out, member)
end
return out
