-- extend: KEYS = queue keys; ARGV = id, delivery count, lease time from now (ms, server clock).
-- Returns 1, or 0 when the lease was lost.
local q = queue_keys(1)
if not lease_valid(q, ARGV[1], ARGV[2]) then
  return 0
end
redis.call('ZADD', q.leased, 'XX', now_ms() + tonumber(ARGV[3]), ARGV[1])
return 1
