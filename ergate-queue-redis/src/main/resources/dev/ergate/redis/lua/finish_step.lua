-- finish_step: KEYS = queue keys, then store keys; ARGV = id, delivery count, member, json,
-- status, workflow, retention (ms), now (ms, the caller's clock: for retention only; leases and
-- due times are the server's), steps completed, index prefix, job prefix, next ('none',
-- 'state': the same JSON as the state, or 'own': the body that follows), next body, next due
-- (ms, 0 for now), lease time (ms) of a message to claim for the same worker (0: claim none),
-- largest body to claim (bytes), dead-letter cap, the next step's priority, attempt (of the state),
-- plan key ('' or absent: the claim starts no step; else the claim starts the claimed job's step as
-- claim.lua does with start on take, and the QUEUED and RUNNING indexes and the plan key are
-- declared after the keys above).
-- Writes the job's state, puts its next step and acks the delivery, all in one script: all or
-- nothing. Then, when asked, claims the next message as claim.lua would, so the finishing worker
-- gets its next job without another round trip (and without waiting to be woken).
-- Returns 0 (and changes nothing) when the lease was lost; -1 when the write fence refused the
-- state (a stale delivery: nothing written, nothing put, the delivery acked so it is dropped);
-- else the claimed message as claim.lua returns it, or 1 when none was asked for or available.
local q = queue_keys(1)
local s = store_keys(QUEUE_KEYS + 1, ARGV[10], ARGV[11])
local id = ARGV[1]
if redis.call('HGET', q.deliveries, id) ~= ARGV[2] then
  return 0 -- another delivery's count (or none): the lease was lost
end
local now = now_ms()
local json = ARGV[4]
-- the lease is checked and ended in one call once the write may go ahead (as take_lease: a ZREM
-- that removes the message from the leased set, after the count read above matched this delivery)
local stored = write_job(s, ARGV[3], read_job(s.job), json, ARGV[5], ARGV[6], tonumber(ARGV[7]),
  tonumber(ARGV[8]), tonumber(ARGV[9]), 'fence', tonumber(ARGV[19]),
  function() return redis.call('ZREM', q.leased, id) == 1 end)
if stored == nil then
  return 0
elseif not stored then
  forget_message(q, id)
  return -1
end
local lease_ms = tonumber(ARGV[15])
local claims = lease_ms > 0
if ARGV[12] == 'state' then
  enqueue(q, json, tonumber(ARGV[14]), now, not claims, tonumber(ARGV[18]))
elseif ARGV[12] == 'own' then
  enqueue(q, ARGV[13], tonumber(ARGV[14]), now, not claims, tonumber(ARGV[18]))
end
forget_message(q, id)
if claims then
  local start
  if ARGV[20] and ARGV[20] ~= '' then
    start = { plan = ARGV[20], job_prefix = ARGV[11], index_prefix = ARGV[10], now = ARGV[8] }
  end
  local claimed = claim(q, now, lease_ms, tonumber(ARGV[16]), tonumber(ARGV[17]), start)
  if type(claimed) == 'table' then
    return claimed
  end
end
return 1
