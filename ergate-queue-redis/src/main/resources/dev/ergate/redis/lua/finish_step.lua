-- finish_step: KEYS = queue keys, then store keys; ARGV = id, delivery count, member, json,
-- status, workflow, retention (ms), now (ms), index prefix, job prefix, next body ('' for none),
-- next due (ms). Writes the job's state, puts its next step and acks the delivery, all in one
-- script: all or nothing. Returns 1, or 0 (and changes nothing) when the lease was lost.
local q = queue_keys(1)
local s = store_keys(10, ARGV[9], ARGV[10])
local id = ARGV[1]
if not lease_valid(q, id, ARGV[2]) then
  return 0
end
local now = tonumber(ARGV[8])
write_job(s, ARGV[3], read_job(s.job), ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), now)
if ARGV[11] ~= '' then
  enqueue(q, ARGV[11], tonumber(ARGV[12]), now)
end
end_lease(q, id)
return 1
