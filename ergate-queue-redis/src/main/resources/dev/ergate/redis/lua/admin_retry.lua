-- admin_retry: KEYS = queue keys, then store keys; ARGV = member, expected status, json (the
-- QUEUED state), workflow, now (ms), index prefix, job prefix, enqueue (1, or 0 when the caller
-- puts the job on another backend's queue), its steps completed, its priority. When the job is stored in the expected status,
-- writes the QUEUED state and puts it on the queue, in one step.
-- Returns 1 when retried, 0 when the stored status was not the expected one, -1 when unknown.
local q = queue_keys(1)
local s = store_keys(QUEUE_KEYS + 1, ARGV[6], ARGV[7])
local now = tonumber(ARGV[5])
local old = read_job(s.job)
if not old.status or expired(old, now) then
  return -1
end
if old.status ~= ARGV[2] then
  return 0
end
write_job(s, ARGV[1], old, ARGV[3], 'QUEUED', ARGV[4], 0, now, tonumber(ARGV[9]), 'none')
if ARGV[8] == '1' then
  enqueue(q, ARGV[3], now, now, true, tonumber(ARGV[10]))
end
return 1
