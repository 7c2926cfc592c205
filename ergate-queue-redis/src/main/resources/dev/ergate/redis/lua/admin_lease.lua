-- admin_lease: KEYS = the lease key; ARGV = owner, duration (ms).
-- Takes the lease when free or renews it for its owner. Returns 1 when the owner holds it now.
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
