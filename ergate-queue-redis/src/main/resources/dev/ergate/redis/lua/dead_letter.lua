-- dead_letter: KEYS = queue keys; ARGV = id, delivery count, record (JSON), dead-letter cap
-- (0: none). Returns 1, or 0 when the lease was lost.
local q = queue_keys(1)
if not take_lease(q, ARGV[1], ARGV[2]) then
  return 0
end
forget_message(q, ARGV[1])
push_dead(q, ARGV[3], tonumber(ARGV[4]))
return 1
