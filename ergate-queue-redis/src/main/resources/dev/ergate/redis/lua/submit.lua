-- submit: KEYS = queue keys, then the store keys of the first job (job key, jobseq, expiring,
-- all), then the job keys of the second job on, then the index keys the caller declares (the
-- status and workflow indexes of the jobs it submits; a stored job's other indexes are named by
-- the script: need()); ARGV = retention (ms), now (ms), index prefix, job prefix, then seven
-- values per job: member, json, status, workflow, due (ms), steps completed, priority.
-- The store write is fenced as store_update's ('final': never a non-final state over a final one).
-- Writes each job's first state and puts it on the queue, all in one script: all or nothing (a
-- refused job is found before anything is written), one round trip for a single submit or a
-- whole batch. Returns how many jobs it submitted.
--
-- Cost: every redis.call costs Redis far more than the command itself (its arguments and reply
-- are converted on the way in and out), so the usual submit, of jobs not stored yet, takes the
-- batched path below: one command per job (its hash) plus about ten per script, instead of a
-- dozen per job.
local q = queue_keys(1)
local s = store_keys(QUEUE_KEYS + 1, ARGV[3], ARGV[4])
local retention = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local count = (#ARGV - 4) / 7
local first_job = s.job

local function job_key_of(i)
  if i == 1 then
    return first_job
  end
  return KEYS[QUEUE_KEYS + 3 + i]
end

-- put tokens (see enqueue_once: a submit retried after a lost reply leaves one message)
local tokens = {}
-- each job's attempt (attempt_of), kept in its hash: a finish's write fence then reads it there,
-- not from the JSON (stored_progress)
local attempts = {}
-- the batched path takes jobs that are new (no job of the key stored), distinct and not final
local batched = true
local members = {}
local job_keys = {}
for i = 1, count do
  local a = 4 + (i - 1) * 7
  local member = ARGV[a + 1]
  attempts[i] = attempt_of(ARGV[a + 2])
  tokens[i] = member .. '|' .. ARGV[a + 6] .. '|' .. attempts[i]
  job_keys[i] = job_key_of(i)
  if members[member] or FINAL[ARGV[a + 3]] then
    batched = false
  end
  members[member] = true
end
if batched and redis.call('EXISTS', unpack(job_keys)) > 0 then
  batched = false
end
local held
if batched then
  held = redis.call('HMGET', q.puts, unpack(tokens))
  for i = 1, count do
    if held[i] then
      batched = false -- a message of that token may still exist: enqueue_once decides
      break
    end
  end
end

if batched then
  -- the indexes, declared by the caller (checked, so a caller that did not declare one is told)
  local by_status, by_workflow = {}, {}
  for i = 1, count do
    local a = 4 + (i - 1) * 7
    local status, workflow = ARGV[a + 3], ARGV[a + 4]
    by_status[status] = by_status[status] or { key = status_index(s, status) }
    by_workflow[workflow] = by_workflow[workflow] or { key = workflow_index(s, workflow) }
  end
  check_declared()
  -- sequence numbers for the store's listing order, and message numbers: one INCRBY each
  local first_seq = redis.call('INCRBY', s.jobseq, count) - count
  local ranked_count = 0
  for i = 1, count do
    local a = 4 + (i - 1) * 7
    if tonumber(ARGV[a + 7]) ~= 0 and tonumber(ARGV[a + 5]) <= now then
      ranked_count = ranked_count + 1
    end
  end
  local first_id = redis.call('INCRBY', q.seq, count + ranked_count) - count - ranked_count
  local next_rank = first_id + count
  local now_text = string.format('%d', now)
  local all, msgs, puts, ready, ranked, priorities = {}, {}, {}, {}, {}, {}
  for i = 1, count do
    local a = 4 + (i - 1) * 7
    local member, json, status, workflow = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
    local seq = string.format('%d', first_seq + i)
    all[#all + 1] = seq
    all[#all + 1] = member
    local st, wf = by_status[status], by_workflow[workflow]
    st[#st + 1] = seq
    st[#st + 1] = member
    wf[#wf + 1] = seq
    wf[#wf + 1] = member
    -- as write_job writes a job not stored before
    redis.call('HSET', job_keys[i], 'json', json, 'status', status, 'workflow', workflow, 'seq', seq,
      'updated', now_text, 'steps', ARGV[a + 6], 'attempt', string.format('%d', attempts[i]))
    -- as enqueue_once puts a message of a token it does not hold
    local id = '#' .. string.format('%d', first_id + i)
    msgs[#msgs + 1] = id
    msgs[#msgs + 1] = json
    puts[#puts + 1] = tokens[i]
    puts[#puts + 1] = id
    puts[#puts + 1] = id
    puts[#puts + 1] = tokens[i]
    local priority = tonumber(ARGV[a + 7])
    if priority ~= 0 then
      priorities[#priorities + 1] = id
      priorities[#priorities + 1] = ARGV[a + 7]
    end
    local due = tonumber(ARGV[a + 5])
    if due > now then
      make_delayed(q, id, due)
    elseif priority == 0 then
      ready[#ready + 1] = id
    else
      next_rank = next_rank + 1
      ranked[#ranked + 1] = -priority * PRIORITY_STEP + next_rank
      ranked[#ranked + 1] = id
    end
  end
  redis.call('ZADD', s.all, unpack(all))
  for _, st in pairs(by_status) do
    redis.call('ZADD', st.key, unpack(st))
  end
  for _, wf in pairs(by_workflow) do
    redis.call('ZADD', wf.key, unpack(wf))
  end
  redis.call('HSET', q.msgs, unpack(msgs))
  redis.call('HSET', q.puts, unpack(puts))
  if #priorities > 0 then
    redis.call('HSET', q.priorities, unpack(priorities))
  end
  if #ready > 0 then
    redis.call('RPUSH', q.ready, unpack(ready))
  end
  if #ranked > 0 then
    redis.call('ZADD', q.ranked, unpack(ranked))
  end
  -- one signal entry per message made ready, up to the cap, as make_ready adds them one by one
  local woken = #ready + #ranked / 2
  if woken > 0 then
    local room = math.min(SIGNAL_CAP - redis.call('LLEN', q.signal), woken)
    if room > 0 then
      local ones = {}
      for i = 1, room do
        ones[i] = '1'
      end
      redis.call('RPUSH', q.signal, unpack(ones))
    end
  end
  return count
end

-- Stored jobs (a resubmit, a retry after a lost reply), or a batch naming one job twice: job by
-- job, as store_update and put would. Each job is read once; every index the writes may touch
-- is declared before the first write (lib.lua, need()), and every fence is checked before it.
local olds = {}
local after = {} -- member -> the status this batch leaves it in, for a job named twice
for i = 1, count do
  local a = 4 + (i - 1) * 7
  local member, status = ARGV[a + 1], ARGV[a + 3]
  local before = after[member]
  if before == nil then
    local old = read_job(job_key_of(i))
    olds[i] = old
    need_indexes(s, old.status, old.workflow)
    if old.status and not expired(old, now) then
      before = old.status
    else
      before = false
    end
  end
  need_indexes(s, status, ARGV[a + 4])
  if before and FINAL[before] and not FINAL[status] then
    return redis.error_reply('ERGATE_STALE ' .. member .. ': the store refused the write (a final job of that id)')
  end
  if before == 'CANCELLING' and not FINAL[status] then
    after[member] = 'CANCELLING'
  else
    after[member] = status
  end
end
check_declared()
for i = 1, count do
  local a = 4 + (i - 1) * 7
  s.job = job_key_of(i)
  local json = ARGV[a + 2]
  -- a job named twice is read again: the batch wrote it since
  if not write_job(s, ARGV[a + 1], olds[i] or read_job(s.job), json, ARGV[a + 3], ARGV[a + 4], retention, now,
      tonumber(ARGV[a + 6]), 'final', attempts[i]) then
    return redis.error_reply('ERGATE_STALE ' .. ARGV[a + 1] .. ': the store refused the write (a final job of that id)')
  end
  enqueue_once(q, tokens[i], json, tonumber(ARGV[a + 5]), now, true, tonumber(ARGV[a + 7]))
end
return count
