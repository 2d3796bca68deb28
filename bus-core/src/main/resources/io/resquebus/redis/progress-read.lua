-- Cluster mode: the pushes already done for each event of a driver batch, from their progress sets
-- (all in bus_incoming's slot). KEYS the progress sets. Returns per set: n, then its n members.
local out = {}
for i = 1, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  out[#out + 1] = #members
  for _, member in ipairs(members) do
    out[#out + 1] = member
  end
end
return out
