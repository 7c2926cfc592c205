-- release: KEYS = queue keys; ARGV = id, delivery count, due (ms), now (ms).
-- Returns 1, or 0 when the lease was lost.
local q = queue_keys(1)
local id = ARGV[1]
if not lease_valid(q, id, ARGV[2]) then
  return 0
end
redis.call('ZREM', q.leased, id)
local due = tonumber(ARGV[3])
if due > tonumber(ARGV[4]) then
  make_delayed(q, id, due)
else
  make_ready(q, id, true)
end
return 1
