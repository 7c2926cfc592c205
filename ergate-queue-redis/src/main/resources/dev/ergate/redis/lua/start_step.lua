-- start_step: KEYS = store keys; ARGV = as store_update (member, json, status, workflow, retention,
-- now, index prefix, job prefix, steps completed), then the attempt. Writes the RUNNING state
-- unless the stored job is to be cancelled, already final or further on than the delivery, in one
-- step so a finish or a cancel request can't land in between. The order is StepStart.over's: over
-- a final job CANCEL_REQUESTED (CANCELLED) or ALREADY_FINAL; then STALE when the write fence
-- refuses the RUNNING state (a duplicate message, a chain that lost); then CANCEL_REQUESTED over
-- CANCELLING. Returns 'STARTED', 'CANCEL_REQUESTED', 'ALREADY_FINAL' or 'STALE'.
local s = store_keys(1, ARGV[7], ARGV[8])
local now = tonumber(ARGV[6])
local steps, attempt = tonumber(ARGV[9]), tonumber(ARGV[10])
local old = read_job(s.job)
local live = old.status and not expired(old, now)
if live and FINAL[old.status] then
  return old.status == 'CANCELLED' and 'CANCEL_REQUESTED' or 'ALREADY_FINAL'
end
if live and fenced(s.job, old, ARGV[3], steps, attempt, 'fence') then
  return 'STALE'
end
if live and old.status == 'CANCELLING' then
  return 'CANCEL_REQUESTED'
end
write_job(s, ARGV[1], old, ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), now, steps, 'none', attempt)
return 'STARTED'
