-- submit: KEYS = queue keys, then the store keys of the first job (job key, jobseq, expiring,
-- all), then the job keys of the second job on; ARGV = retention (ms), now (ms), index prefix,
-- job prefix, then five values per job: member, json, status, workflow, due (ms).
-- Writes each job's first state and puts it on the queue, all in one script: all or nothing,
-- one round trip for a single submit or a whole batch. Returns how many jobs it submitted.
local q = queue_keys(1)
local s = store_keys(10, ARGV[3], ARGV[4])
local retention = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local count = (#ARGV - 4) / 5
for i = 1, count do
  if i > 1 then
    s.job = KEYS[12 + i]
  end
  local a = 4 + (i - 1) * 5
  local json = ARGV[a + 2]
  write_job(s, ARGV[a + 1], read_job(s.job), json, ARGV[a + 3], ARGV[a + 4], retention, now)
  enqueue(q, json, tonumber(ARGV[a + 5]), now, true)
end
return count
