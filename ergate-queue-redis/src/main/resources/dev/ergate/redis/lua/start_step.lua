-- start_step: KEYS = store keys; ARGV = as store_update (member, json, status, workflow, retention,
-- now, index prefix, job prefix, steps completed). Writes the RUNNING state unless the stored job
-- is to be cancelled or already final, in one step so a finish or a cancel request can't land in
-- between. Returns 'STARTED', 'CANCEL_REQUESTED' or 'ALREADY_FINAL'.
local s = store_keys(1, ARGV[7], ARGV[8])
local now = tonumber(ARGV[6])
local old = read_job(s.job)
local live = old.status and not expired(old, now)
if live and (old.status == 'CANCELLING' or old.status == 'CANCELLED') then
  return 'CANCEL_REQUESTED'
end
if live and FINAL[old.status] then
  return 'ALREADY_FINAL'
end
write_job(s, ARGV[1], old, ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), now, tonumber(ARGV[9]), 'final')
return 'STARTED'
