-- Reads every app's subscriptions in one round trip. Returns the registry version (Java subscribes
-- bump it), then per app: the member of bus_apps, the number n of fields, then n field, value pairs.
-- KEYS[1] bus_apps, KEYS[2] {bus_apps}:version; ARGV[1] key prefix of the app hashes (e.g. "resque:bus_app:")
local out = { redis.call('GET', KEYS[2]) or '0' }
for _, app in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local hash = redis.call('HGETALL', ARGV[1] .. app)
  out[#out + 1] = app
  out[#out + 1] = #hash / 2
  for _, v in ipairs(hash) do
    out[#out + 1] = v
  end
end
return out
