-- release: KEYS = queue keys; ARGV = id, delivery count, delay (ms, from the server's now),
-- uncount (1: the delivery does not count, its delivery count goes back down; 0: it counts).
-- Returns 1, or 0 when the lease was lost.
local q = queue_keys(1)
local id = ARGV[1]
if not lease_valid(q, id, ARGV[2]) then
  return 0
end
redis.call('ZREM', q.leased, id)
if ARGV[4] == '1' then
  redis.call('HINCRBY', q.deliveries, id, -1)
end
local now = now_ms()
local due = now + tonumber(ARGV[3])
if due > now then
  make_delayed(q, id, due)
else
  make_ready(q, id, true, priority_of(q, id))
end
return 1
