-- ack: KEYS = queue keys; ARGV = id, delivery count. Returns 1, or 0 when the lease was lost.
local q = queue_keys(1)
if not take_lease(q, ARGV[1], ARGV[2]) then
  return 0
end
forget_message(q, ARGV[1])
return 1
