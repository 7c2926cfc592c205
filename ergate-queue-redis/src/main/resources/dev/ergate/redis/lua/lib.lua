-- Shared by every Ergate script; each script is this file followed by its own body.
--
-- Every key an Ergate script touches carries the same hash tag ({namespace}), so all of them
-- live in one slot and the scripts also run on Redis Cluster. The keys that depend on data (a
-- job's key, the index keys of a status or workflow) are built here from prefixes given in ARGV;
-- they carry the same hash tag, so they are in the script's slot too.
--
-- Queue messages: every message has an id ('#' .. counter); its body is in the msgs hash and
-- its delivery count in the deliveries hash. The id is in exactly one of: the ready list, the
-- delayed zset (score: due time, ms) or the leased zset (score: lease deadline, ms).
-- A lease is identified by (id, delivery count): a new delivery of the same message bumps the
-- count, so a stale ack, release, extend or dead-letter of an older delivery changes nothing.

local SIGNAL_CAP = 64
local WAKE_CAP = 16
local FINAL = { COMPLETED = true, FAILED = true, ABORTED = true, CANCELLED = true }

-- The queue's keys, from KEYS[first] on, always in this order.
local function queue_keys(first)
  return {
    ready = KEYS[first], delayed = KEYS[first + 1], leased = KEYS[first + 2],
    msgs = KEYS[first + 3], deliveries = KEYS[first + 4], seq = KEYS[first + 5],
    signal = KEYS[first + 6], wake = KEYS[first + 7], dead = KEYS[first + 8]
  }
end

-- The store's keys, from KEYS[first] on, plus the prefixes of the keys built from data.
local function store_keys(first, index_prefix, job_prefix)
  return {
    job = KEYS[first], jobseq = KEYS[first + 1], expiring = KEYS[first + 2], all = KEYS[first + 3],
    index_prefix = index_prefix, job_prefix = job_prefix
  }
end

-- Does the delivery (id, n) still hold its lease?
local function lease_valid(q, id, n)
  if not redis.call('ZSCORE', q.leased, id) then
    return false
  end
  return redis.call('HGET', q.deliveries, id) == n
end

-- Forgets a leased message for good.
local function end_lease(q, id)
  redis.call('ZREM', q.leased, id)
  redis.call('HDEL', q.msgs, id)
  redis.call('HDEL', q.deliveries, id)
end

-- The signal list wakes takers blocked in BLPOP: one entry per ready message (capped). A
-- taker's claim sets its length back to the ready list's, so it never grows without bound and
-- never lacks an entry while something is ready.
local function balance_signal(q)
  local want = math.min(redis.call('LLEN', q.ready), SIGNAL_CAP)
  local have = redis.call('LLEN', q.signal)
  if have > want then
    if want == 0 then
      redis.call('DEL', q.signal)
    else
      redis.call('LTRIM', q.signal, 0, want - 1)
    end
  else
    for _ = have + 1, want do
      redis.call('RPUSH', q.signal, '1')
    end
  end
end

local function make_ready(q, id)
  redis.call('RPUSH', q.ready, id)
  if redis.call('LLEN', q.signal) < SIGNAL_CAP then
    redis.call('RPUSH', q.signal, '1')
  end
end

-- A delayed message that is due before every other one wakes a blocked taker, so it can shorten
-- its wait. The wake list keeps its newest entries only; it is never emptied here, so a taker
-- about to block still finds one.
local function make_delayed(q, id, due)
  local first = redis.call('ZRANGE', q.delayed, 0, 0, 'WITHSCORES')
  redis.call('ZADD', q.delayed, due, id)
  if #first == 0 or tonumber(first[2]) > due then
    redis.call('RPUSH', q.wake, '1')
    redis.call('LTRIM', q.wake, -WAKE_CAP, -1)
  end
end

local function enqueue(q, body, due, now)
  local id = '#' .. redis.call('INCR', q.seq)
  redis.call('HSET', q.msgs, id, body)
  if due > now then
    make_delayed(q, id, due)
  else
    make_ready(q, id)
  end
  return id
end

-- The index keys a job is listed under (besides the all-jobs index).
local function index_keys(s, status, workflow)
  return {
    s.index_prefix .. 'status:' .. status,
    s.index_prefix .. 'workflow:' .. workflow,
    s.index_prefix .. 'status-workflow:' .. status .. ':' .. workflow
  }
end

-- Deletes up to `limit` final jobs whose retention ran out, with their index entries.
local function purge_expired(s, now, limit)
  local due = redis.call('ZRANGEBYSCORE', s.expiring, '-inf', now, 'LIMIT', 0, limit)
  for _, member in ipairs(due) do
    local key = s.job_prefix .. member
    local old = redis.call('HMGET', key, 'status', 'workflow')
    if old[1] then
      for _, index in ipairs(index_keys(s, old[1], old[2])) do
        redis.call('ZREM', index, member)
      end
    end
    redis.call('ZREM', s.all, member)
    redis.call('ZREM', s.expiring, member)
    redis.call('DEL', key)
  end
end

-- Writes a job's state: replaces everything but a stored CANCELLING, which a non-final status
-- does not overwrite. Returns the status stored.
local function store_update(s, member, json, status, workflow, retention, now)
  purge_expired(s, now, 16)
  local old = redis.call('HMGET', s.job, 'status', 'workflow', 'seq')
  if old[1] == 'CANCELLING' and not FINAL[status] then
    status = 'CANCELLING'
  end
  local seq = old[3]
  if not seq then
    seq = redis.call('INCR', s.jobseq)
    redis.call('ZADD', s.all, seq, member)
  elseif old[1] ~= status or old[2] ~= workflow then
    for _, index in ipairs(index_keys(s, old[1], old[2])) do
      redis.call('ZREM', index, member)
    end
  end
  for _, index in ipairs(index_keys(s, status, workflow)) do
    redis.call('ZADD', index, seq, member)
  end
  redis.call('HSET', s.job, 'json', json, 'status', status, 'workflow', workflow, 'seq', seq)
  if FINAL[status] and retention > 0 then
    redis.call('HSET', s.job, 'expires', now + retention)
    redis.call('ZADD', s.expiring, now + retention, member)
  else
    redis.call('HDEL', s.job, 'expires')
    redis.call('ZREM', s.expiring, member)
  end
  return status
end

