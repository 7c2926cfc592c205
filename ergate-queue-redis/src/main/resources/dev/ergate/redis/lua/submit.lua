-- submit: KEYS = queue keys, then the store keys of the first job (job key, jobseq, expiring,
-- all), then the job keys of the second job on; ARGV = retention (ms), now (ms), index prefix,
-- job prefix, then seven values per job: member, json, status, workflow, due (ms), steps completed,
-- priority.
-- The store write is fenced as store_update's ('final': never a non-final state over a final one).
-- Writes each job's first state and puts it on the queue, all in one script: all or nothing,
-- one round trip for a single submit or a whole batch. Returns how many jobs it submitted.
local q = queue_keys(1)
local s = store_keys(QUEUE_KEYS + 1, ARGV[3], ARGV[4])
local retention = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local count = (#ARGV - 4) / 7
-- every index the writes may touch is declared before the first write (lib.lua, need())
for i = 1, count do
  local a = 4 + (i - 1) * 7
  local old = read_job(i > 1 and KEYS[QUEUE_KEYS + 3 + i] or s.job)
  need_indexes(s, old.status, old.workflow)
  need_indexes(s, ARGV[a + 3], ARGV[a + 4])
end
check_declared()
for i = 1, count do
  if i > 1 then
    s.job = KEYS[QUEUE_KEYS + 3 + i]
  end
  local a = 4 + (i - 1) * 7
  local json = ARGV[a + 2]
  if not write_job(s, ARGV[a + 1], read_job(s.job), json, ARGV[a + 3], ARGV[a + 4], retention, now,
      tonumber(ARGV[a + 6]), 'final') then
    return redis.error_reply('ERGATE_STALE ' .. ARGV[a + 1] .. ': the store refused the write (a final job of that id)')
  end
  -- once per (job, steps, attempt): a submit retried after a lost reply leaves one message
  enqueue_once(q, ARGV[a + 1] .. '|' .. ARGV[a + 6] .. '|' .. attempt_of(json), json, tonumber(ARGV[a + 5]), now,
    true, tonumber(ARGV[a + 7]))
end
return count
