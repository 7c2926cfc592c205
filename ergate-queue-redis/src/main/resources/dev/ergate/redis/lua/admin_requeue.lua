-- admin_requeue: KEYS = queue keys, then store keys (of the job, or any key when none); ARGV =
-- dead-letter record (exact entry of the dead list), body, now (ms), member ('' when the body has
-- no job id), json (the job's QUEUED state), workflow, index prefix, job prefix, its steps completed,
-- its priority.
-- Removes the record and puts the body on the queue; when the store holds the job in a final
-- status, writes its QUEUED state so a worker runs it. Returns 1, or 0 when the record is gone.
local q = queue_keys(1)
local s = store_keys(QUEUE_KEYS + 1, ARGV[7], ARGV[8])
local now = tonumber(ARGV[3])
if ARGV[4] ~= '' then
  -- every index the write may touch is declared before the record is removed (lib.lua, need())
  local stored = read_job(s.job)
  need_indexes(s, stored.status, stored.workflow)
  need_indexes(s, 'QUEUED', ARGV[6])
  check_declared()
end
if redis.call('LREM', q.dead, 1, ARGV[1]) == 0 then
  return 0
end
if ARGV[4] ~= '' then
  local old = read_job(s.job)
  if old.status and FINAL[old.status] and not expired(old, now) then
    write_job(s, ARGV[4], old, ARGV[5], 'QUEUED', ARGV[6], 0, now, tonumber(ARGV[9]), 'none')
  end
end
enqueue(q, ARGV[2], now, now, true, tonumber(ARGV[10]))
return 1
