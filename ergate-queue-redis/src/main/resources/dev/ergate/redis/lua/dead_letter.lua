-- dead_letter: KEYS = queue keys; ARGV = id, delivery count, record (JSON).
-- Returns 1, or 0 when the lease was lost.
local q = queue_keys(1)
if not lease_valid(q, ARGV[1], ARGV[2]) then
  return 0
end
end_lease(q, ARGV[1])
redis.call('RPUSH', q.dead, ARGV[3])
return 1
