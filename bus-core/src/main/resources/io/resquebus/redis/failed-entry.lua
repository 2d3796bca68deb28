-- Read-only: one failed entry whole, unless it is larger than the caller will take.
-- KEYS[1] failed; ARGV[1] index, ARGV[2] most bytes the caller takes
-- Returns {} if there is no such entry, {bytes, sha1} if it is too large, else {bytes, sha1, entry}
local entry = redis.call('LINDEX', KEYS[1], ARGV[1])
if not entry then
  return {}
end
if #entry > tonumber(ARGV[2]) then
  return { #entry, redis.sha1hex(entry) }
end
return { #entry, redis.sha1hex(entry), entry }
