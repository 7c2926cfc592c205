-- Shared by every Ergate script; each script is this file followed by its own body.
-- On Redis 7 a script is a function library (LuaScript): this file's top level runs once, when the
-- library is loaded, and the body is a function that sets KEYS, ARGV (locals of the library then)
-- and missing_keys at each call. So nothing here may keep other state from one call to the next,
-- and the top level may only define (no redis.call: a library being loaded has none). On older
-- Redis (EVALSHA) the whole text runs at each call, with KEYS and ARGV the script's globals.
--
-- Every key an Ergate script touches carries the same hash tag ({namespace}), so all of them
-- live in one slot and the scripts also run on Redis Cluster. Every key a script touches is
-- declared in KEYS (so a cluster node moving the slot redirects the call before the script runs,
-- instead of the script failing half-way). A key that depends on data (a job's key, the index of
-- a status or workflow) is built from a prefix given in ARGV and checked with need(): when the
-- caller did not declare it, the script raises ERGATE_UNDECLARED with every such key (hex) before
-- it writes anything, and the caller (LuaScript) runs it again with them declared.
--
-- Queue messages: every message has an id ('#' .. counter); its body is in the msgs hash and
-- its delivery count in the deliveries hash. The id is in exactly one of: the ready list, the
-- ranked zset, the delayed zset (score: due time, ms) or the leased zset (score: lease deadline,
-- ms). Priorities: a message with a non-zero priority has it in the priorities hash (id ->
-- priority, for as long as the message lives), and is ready in the ranked zset instead of the
-- ready list; see make_ready and next_ready.
-- A lease is identified by (id, delivery count): a new delivery of the same message bumps the
-- count, so a stale ack, release, extend or dead-letter of an older delivery changes nothing.

local SIGNAL_CAP = 64

-- Now, in ms, by the Redis server's clock: leases, due times and retention are decided by one
-- clock (Redis's), never by the workers', so a worker whose clock runs ahead neither steals a
-- live lease nor takes a delayed job early. (TIME before a write is fine: Redis 5+ replicates a
-- script's effects, not the script.)
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local WAKE_CAP = 16

-- A whole number as the text Redis is given. redis.call turns a Lua number argument into text
-- with snprintf("%.17g"), a floating-point conversion that costs Redis more than the command it
-- is for (about 2,700 instructions for a time in ms); '%d' is an integer conversion. So the
-- scripts of the step path pass numbers as text (string literals for constants).
local function int_text(n)
  return string.format('%d', n)
end
local FINAL = { COMPLETED = true, FAILED = true, ABORTED = true, CANCELLED = true }

-- How many queue keys queue_keys reads (RedisKeys.queueKeys); a script's other keys follow them.
local QUEUE_KEYS = 12

-- The queue's keys, from KEYS[first] on, always in this order.
local function queue_keys(first)
  return {
    ready = KEYS[first], delayed = KEYS[first + 1], leased = KEYS[first + 2],
    msgs = KEYS[first + 3], deliveries = KEYS[first + 4], seq = KEYS[first + 5],
    signal = KEYS[first + 6], wake = KEYS[first + 7], dead = KEYS[first + 8],
    ranked = KEYS[first + 9], priorities = KEYS[first + 10], puts = KEYS[first + 11]
  }
end

-- The store's keys, from KEYS[first] on, plus the prefixes of the keys built from data.
local function store_keys(first, index_prefix, job_prefix)
  return {
    job = KEYS[first], jobseq = KEYS[first + 1], expiring = KEYS[first + 2], all = KEYS[first + 3],
    index_prefix = index_prefix, job_prefix = job_prefix
  }
end

-- The keys need() found missing.
local missing_keys

-- Returns `key`, noting it as missing when the caller did not declare it in KEYS. (A scan from
-- the end: the keys a script needs are the few the caller appends last, and Lua compares strings
-- by reference.)
local function need(key)
  for i = #KEYS, 1, -1 do
    if KEYS[i] == key then
      return key
    end
  end
  missing_keys = missing_keys or {}
  if not missing_keys[key] then
    missing_keys[key] = true
    missing_keys[#missing_keys + 1] = key
  end
  return key
end

-- Raises ERGATE_UNDECLARED with the missing keys (hex, space-separated) if need() found any; call
-- it before the first write.
local function check_declared()
  if missing_keys and #missing_keys > 0 then
    local hex = {}
    for i, key in ipairs(missing_keys) do
      hex[i] = (string.gsub(key, '.', function(c) return string.format('%02x', string.byte(c)) end))
    end
    error('ERGATE_UNDECLARED ' .. table.concat(hex, ' ') .. ' END')
  end
end

-- Does the delivery (id, n) still hold its lease? (ZRANK, not ZSCORE: a score comes back as a
-- double that Redis formats with snprintf, a rank as an integer.)
local function lease_valid(q, id, n)
  if not redis.call('ZRANK', q.leased, id) then
    return false
  end
  return redis.call('HGET', q.deliveries, id) == n
end

-- Forgets the put token of a message that is gone (see enqueue_once).
local function forget_put(q, id)
  local token = redis.call('HGET', q.puts, id)
  if token then
    redis.call('HDEL', q.puts, id, token)
  end
end

-- Forgets a message whose lease was removed already (see end_lease).
local function forget_message(q, id)
  redis.call('HDEL', q.msgs, id)
  redis.call('HDEL', q.deliveries, id)
  redis.call('HDEL', q.priorities, id)
  forget_put(q, id)
end

-- Forgets a leased message for good.
local function end_lease(q, id)
  redis.call('ZREM', q.leased, id)
  forget_message(q, id)
end

-- Ends the lease of delivery (id, n) if it still holds it: true when it did (the message is then
-- to be forgotten or put back by the caller). The same test as lease_valid, in one call fewer
-- where the caller ends the lease anyway: ZREM's reply says whether the message was leased, and
-- the delivery count (read first) that the lease is this delivery's.
local function take_lease(q, id, n)
  return redis.call('HGET', q.deliveries, id) == n and redis.call('ZREM', q.leased, id) == 1
end

-- A message's priority (0 when it has none).
local function priority_of(q, id)
  return tonumber(redis.call('HGET', q.priorities, id) or '0')
end

-- The signal list wakes takers blocked in BLPOP: one entry per ready message (capped). A
-- taker's claim sets its length back to the ready list's, so it never grows without bound and
-- never lacks an entry while something is ready.
local function balance_signal(q)
  local want = redis.call('LLEN', q.ready)
  if want < SIGNAL_CAP then -- else the ranked ones can't change it: one call fewer on a backlog
    want = math.min(want + redis.call('ZCARD', q.ranked), SIGNAL_CAP)
  else
    want = SIGNAL_CAP
  end
  local have = redis.call('LLEN', q.signal)
  if have > want then
    if want == 0 then
      redis.call('DEL', q.signal)
    else
      redis.call('LTRIM', q.signal, '0', int_text(want - 1))
    end
  else
    for _ = have + 1, want do
      redis.call('RPUSH', q.signal, '1')
    end
  end
end

-- Priorities are strict. A message of priority 0 (the default, and every raw entry) is ready on
-- the ready list, in order; one of any other priority p in the ranked zset, scored
-- -p * PRIORITY_STEP + n, where n is a number drawn from the queue's message counter each time
-- it becomes ready (so equal priorities keep their order, and a released message goes behind
-- its peers as it would on the list). The score is negative exactly for p > 0, and exact in a
-- double (|p| <= 1000, n < 2^42). next_ready takes the ranked head while it is negative, then
-- the list, then the ranked head (p < 0).
local PRIORITY_STEP = 4398046511104 -- 2^42

-- `signal` false: the caller claims in the same script, and the claim sets the signal list right.
local function make_ready(q, id, signal, priority)
  if priority == 0 then
    redis.call('RPUSH', q.ready, id)
  else
    redis.call('ZADD', q.ranked, -priority * PRIORITY_STEP + redis.call('INCR', q.seq), id)
  end
  if signal and redis.call('LLEN', q.signal) < SIGNAL_CAP then
    redis.call('RPUSH', q.signal, '1')
  end
end

-- Takes the ready entry to hand out next by priority (see make_ready): returns it and whether
-- it came from the ranked zset (then it is a message id), or nil when nothing is ready.
local function next_ready(q)
  local top = redis.call('ZRANGE', q.ranked, '0', '0', 'WITHSCORES')
  if #top > 0 and tonumber(top[2]) < 0 then
    redis.call('ZREM', q.ranked, top[1])
    return top[1], true
  end
  local entry = redis.call('LPOP', q.ready)
  if entry then
    return entry, false
  end
  if #top > 0 then
    redis.call('ZREM', q.ranked, top[1])
    return top[1], true
  end
  return nil, false
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

-- `signal` as for make_ready; `priority` the job's (an integer, 0 for none).
local function enqueue(q, body, due, now, signal, priority)
  local id = '#' .. redis.call('INCR', q.seq)
  redis.call('HSET', q.msgs, id, body)
  if priority ~= 0 then
    redis.call('HSET', q.priorities, id, priority)
  end
  if due > now then
    make_delayed(q, id, due)
  else
    make_ready(q, id, signal, priority)
  end
  return id
end

-- enqueue, at most once per `token` (the job's member, steps completed and attempt; '' for none)
-- while its message exists: a put retried by a client after a reply was lost (the first one
-- landed) leaves one message, not two. The puts hash maps token -> id and id -> token (ids start
-- with '#', tokens never do); a message's entries go with it (end_lease, forget_put).
local function enqueue_once(q, token, body, due, now, signal, priority)
  if token == nil or token == '' then
    return enqueue(q, body, due, now, signal, priority)
  end
  local id = redis.call('HGET', q.puts, token)
  if id then
    if redis.call('HEXISTS', q.msgs, id) == 1 then
      return id
    end
    redis.call('HDEL', q.puts, id) -- its message went another way
  end
  id = enqueue(q, body, due, now, signal, priority)
  redis.call('HSET', q.puts, token, id, id, token)
  return id
end

-- Adds a dead-letter record, keeping the newest `cap` records (0: no cap).
local function push_dead(q, record, cap)
  redis.call('RPUSH', q.dead, record)
  if cap > 0 then
    redis.call('LTRIM', q.dead, -cap, -1)
  end
end

-- Dead-letters a body too large to hand out, in the script, so the taker never loads it. The
-- record has the shape DeadLetterRecords reads (time as 'at_ms', the server's clock).
local function dead_letter_oversized(q, id, body, size, n, max_bytes, now, cap)
  local record = cjson.encode({
    message_id = id, at_ms = now, delivery_count = n, text = body,
    reason = 'too large to take: ' .. size .. ' bytes, over maxJobBytes=' .. max_bytes
        .. ' (checked by Redis before loading it)'
  })
  push_dead(q, record, cap)
end

-- Is `key` in KEYS? (A plain check: unlike need(), a missing key is not asked for.)
local function declared(key)
  for i = #KEYS, 1, -1 do
    if KEYS[i] == key then
      return true
    end
  end
  return false
end

-- How many of a listing's index `rows` (member, score, member, score, ...) a listing script reads.
-- Their job keys are only known once the index is read, so the first run (no job key declared
-- from KEYS[first_job_key] on) names them all and the caller runs it again with them. A job that
-- entered the index between the two runs (a busy store) would name another key and need a third
-- run, and so on: instead a run that has job keys declared stops the page before the first
-- undeclared entry (the page says there is more, and the next page starts there). Only when the
-- very first entry is undeclared are the keys named again, so a page always moves on.
local function page_rows(s, rows, first_job_key)
  local upto = #rows
  if #KEYS >= first_job_key then
    for i = 1, #rows, 2 do
      if not declared(s.job_prefix .. rows[i]) then
        upto = i - 1
        break
      end
    end
    if upto == 0 then
      upto = #rows
    end
  end
  for i = 1, upto, 2 do
    need(s.job_prefix .. rows[i])
  end
  check_declared()
  return upto
end

-- Runs a command on a key the caller could NOT declare, with redis.pcall: the one exception to
-- "every key is declared" (see start_claimed). On a Redis Cluster whose slot is being migrated, a
-- key that already moved to the other node is refused by Redis with an error instead of being
-- read as missing; that error comes back here as nil, and the caller then writes nothing to the
-- key. A key Redis answers for is the live copy of that key, so a write to it right after (in
-- the same script: nothing runs in between) lands where the key is. Returns the reply or nil.
local function call_undeclared(cmd, key, ...)
  local exempt = redis.ergate_exempt -- only the tests' key check (check_keys.lua) has it
  if exempt then
    exempt(key)
  end
  local reply = redis.pcall(cmd, key, ...)
  if type(reply) == 'table' and reply.err then
    return nil
  end
  return reply
end

-- The largest body whose step a claim starts (it is decoded once, in the script): a larger job is
-- handed out unstarted and its worker starts the step itself (start_step.lua).
local START_MAX_BYTES = 16384

-- Start on take (RedisJobQueue.startOnTake): records the start of the step of a claimed message,
-- first delivery only, as start_step.lua would record it, when the store holds exactly the
-- message's state: the job hash's `json` is the body, byte for byte, its status QUEUED, not past
-- its retention, not started already. Then neither a cancel request (the job would be
-- CANCELLING) nor the write fence (RUNNING over the very QUEUED state it came from, at the same
-- steps and attempt) can stand in the way. The step index is JobRunner's: `current_step` when
-- the body holds it as a plain integer, else (no step name either) `steps_completed`; its name
-- comes from the worker's plan (a hash written once per plan: field "workflow\nindex" -> step
-- name). A job of a workflow or step the plan lacks is not started.
-- The job's JSON is NOT rewritten (cjson would turn [] into {} and round big numbers): the hash
-- keeps the QUEUED document and gets status RUNNING plus the field `started` ("index name"),
-- which every reader applies (RedisJobStore.withStart: status RUNNING, step_name, current_step)
-- and every later write_job removes.
-- Keys: the job key is found in the body, so the caller can't declare it: it is read with
-- call_undeclared, and written only when Redis answered for it (see there). The QUEUED and
-- RUNNING indexes and the plan key must be declared, else nothing is started.
-- `start` = { plan = plan key, job_prefix, index_prefix, now = ms as text (the caller's clock, as
-- write_job's `updated`) }. Returns the started step's index and name, or -1, '' (not started),
-- or -2, '' when the plan key is missing (the caller writes it again).
-- The member of the job a body is, read off the body's head without decoding it: Ergate writes
-- a job's "id" first (JobCodec), so `{"id":"text"` (no escapes) or `{"id":digits` name it; nil
-- when the head says otherwise (then start_claimed decodes the body). start_claimed only starts
-- the job whose stored JSON is the body byte for byte: JSON the store wrote for the job with
-- this id, so a member read wrongly finds no such job.
local function member_in_head(body)
  local text = string.match(body, '^{"id":"([^"\\]*)"[,}]')
  if text then
    return 's:' .. text
  end
  local digits = string.match(body, '^{"id":(%d+)[,}]')
  if digits and #digits <= 15 and (digits == '0' or string.sub(digits, 1, 1) ~= '0') then
    return 'n:' .. digits -- as string.format('%.0f') of the decoded number writes it
  end
  return nil
end

-- Does `field` ('name":') appear in the body only as null, once, or not at all? (A nested field
-- of the same name, or a second one, or one whose name ends so, says no: the caller then decodes
-- the body. The leading quote is left out of `field` on purpose: a plain search stops at every
-- occurrence of the first character, and JSON is full of quotes.)
local function null_or_absent(body, field)
  local _, last = string.find(body, field, 1, true)
  if not last then
    return true
  end
  return string.find(body, '^null[,}]', last + 1) ~= nil and not string.find(body, field, last + 1, true)
end

-- Does the body name the workflow and steps completed the job hash keeps beside it (`workflow`,
-- `steps`: the writers take both from the job whose JSON they write; a body without
-- steps_completed has none done)? Compared as text, the first occurrence of each field (JobCodec
-- writes both before any nested value); when not, start_claimed decodes the body.
local function says_as_stored(body, workflow, steps)
  if not workflow or not steps or not string.find(steps, '^%d%d?%d?%d?%d?%d?%d?%d?%d?$') then
    return false
  end
  if not string.find(body, 'workflow_name":"' .. workflow .. '"', 1, true) then
    return false
  end
  local _, last = string.find(body, 'steps_completed":', 1, true)
  if not last then
    return steps == '0'
  end
  return string.find(body, '^' .. steps .. '[,}]', last + 1) ~= nil
end

-- The member of the job a decoded body is (nil for none; see start_claimed).
local function member_of(doc)
  if type(doc.id) == 'string' then
    return 's:' .. doc.id
  elseif type(doc.id) == 'number' and doc.id == math.floor(doc.id) and math.abs(doc.id) < 9007199254740992 then
    return 'n:' .. string.format('%.0f', doc.id) -- a wrong guess finds another JSON or none: no start
  end
  return nil
end

-- The step index JobRunner would run for a decoded body (nil when it would not start one).
local function step_index_of(doc, body)
  local current = doc.current_step
  if current ~= nil and current ~= cjson.null then
    -- a plain integer in the text too (JobRunner refuses 1.0 or 1e0, which decode alike)
    if type(current) ~= 'number' or current < 0 or current ~= math.floor(current) or current > 1000000000
        or not string.find(body, '"current_step":' .. string.format('%d', current) .. '[,}]') then
      return nil
    end
    return current
  elseif doc.step_name == nil or doc.step_name == cjson.null then
    local index = doc.steps_completed or 0
    if type(index) ~= 'number' or index < 0 or index ~= math.floor(index) or index > 1000000000 then
      return nil
    end
    return index
  end
  return nil
end

local function start_claimed(start, body)
  if #body > START_MAX_BYTES then
    return -1, ''
  end
  local queued_index = start.index_prefix .. 'status:QUEUED'
  local running_index = start.index_prefix .. 'status:RUNNING'
  if not (declared(start.plan) and declared(queued_index) and declared(running_index)) then
    return -1, ''
  end
  -- Most bodies need no decode (23k instructions of cjson): the member is in the head, and a
  -- body whose "current_step" and "step_name" are null or absent runs step `steps_completed`,
  -- which the job hash keeps beside the JSON ('steps', written with it from the same job, as
  -- 'workflow').
  local member, doc = member_in_head(body), nil
  if not member then
    local ok
    ok, doc = pcall(cjson.decode, body)
    if not ok or type(doc) ~= 'table' or type(doc.workflow_name) ~= 'string' then
      return -1, ''
    end
    member = member_of(doc)
    if not member then
      return -1, ''
    end
  end
  local key = start.job_prefix .. member
  local f = call_undeclared('HMGET', key, 'status', 'json', 'expires', 'started', 'seq', 'workflow', 'steps')
  if not f or f[1] ~= 'QUEUED' or f[2] ~= body or f[3] or (f[4] and f[4] ~= '') or not f[5] then
    return -1, ''
  end
  local index, workflow
  if not doc and says_as_stored(body, f[6], f[7]) and null_or_absent(body, 'current_step":')
      and null_or_absent(body, 'step_name":') then
    index, workflow = tonumber(f[7]), f[6]
  else
    if not doc then
      local ok
      ok, doc = pcall(cjson.decode, body)
      if not ok or type(doc) ~= 'table' or type(doc.workflow_name) ~= 'string' or member_of(doc) ~= member then
        return -1, ''
      end
    end
    index, workflow = step_index_of(doc, body), doc.workflow_name
    if not index then
      return -1, ''
    end
  end
  local index_text = int_text(index)
  local name = redis.call('HGET', start.plan, workflow .. '\n' .. index_text)
  if not name then
    if redis.call('EXISTS', start.plan) == 0 then
      return -2, ''
    end
    return -1, ''
  end
  redis.call('ZREM', queued_index, member)
  redis.call('ZADD', running_index, f[5], member)
  redis.call('HSET', key, 'status', 'RUNNING', 'started', index_text .. ' ' .. name, 'updated', start.now)
  return index, name
end

-- Moves due delayed messages to the ready list (the ranked zset by their priority), then leases
-- one message: a message whose lease ran out first (its taker is presumably dead, and the message
-- was handed out once already, whatever its priority), else the next ready one (next_ready: by
-- priority, then in order). A ready entry
-- that is not a message id is a raw document someone pushed straight onto the list: it becomes
-- a message of its own (the taker decodes it, dead-letters it if it is not a job, and gives it
-- back delayed if its requested_start_time has not come). A body over `max_bytes` is
-- dead-lettered here, by its length, without being loaded by the taker (`dead_cap` bounds the
-- dead letters).
-- `start` (nil: none) asks the claim to record the step's start too (see start_claimed).
-- Returns {id, body, delivery count, now (ms, server clock), started step index, started step name}
-- (index -1 and name '' when it started nothing, -2 when the plan key is gone and must be written
-- again), or, when nothing is available, how long (ms) until the next delayed message is due or
-- lease runs out (-1 for none).
local function claim(q, now, lease_ms, max_bytes, dead_cap, start)
  local now_text = int_text(now)
  local due = redis.call('ZRANGEBYSCORE', q.delayed, '-inf', now_text, 'LIMIT', '0', '100')
  if #due > 0 then
    redis.call('ZREM', q.delayed, unpack(due))
    if redis.call('EXISTS', q.priorities) == 0 then
      redis.call('RPUSH', q.ready, unpack(due))
    else
      for _, id in ipairs(due) do
        make_ready(q, id, false, priority_of(q, id))
      end
    end
  end

  local id, body, raw
  -- a bounded number of oversized bodies per call, so one script never runs long
  for _ = 1, 16 do
    local expired_lease = redis.call('ZRANGEBYSCORE', q.leased, '-inf', now_text, 'LIMIT', '0', '1')
    -- (a body is read whole and measured here: one call, where a length first would be two; an
    -- oversized one is loaded into the script only, to be dead-lettered, never sent to the taker)
    if #expired_lease > 0 then
      id = expired_lease[1]
      body = redis.call('HGET', q.msgs, id)
      if not body then
        redis.call('ZREM', q.leased, id)
        redis.call('HDEL', q.deliveries, id)
        id = nil
      elseif #body > max_bytes then
        local n = tonumber(redis.call('HGET', q.deliveries, id) or '0')
        dead_letter_oversized(q, id, body, #body, n, max_bytes, now, dead_cap)
        end_lease(q, id)
        id, body = nil, nil
      else
        break
      end
    end
    local entry, ranked = next_ready(q)
    if not entry then
      break
    end
    local message = redis.call('HGET', q.msgs, entry)
    if message and #message > max_bytes then
      dead_letter_oversized(q, entry, message, #message, 0, max_bytes, now, dead_cap)
      forget_put(q, entry)
      redis.call('HDEL', q.msgs, entry)
      redis.call('HDEL', q.deliveries, entry)
      redis.call('HDEL', q.priorities, entry)
    elseif message then
      id = entry
      body = message
      break
    elseif ranked then
      redis.call('HDEL', q.priorities, entry) -- a ranked id whose message is gone: nothing to hand out
    elseif #entry > max_bytes then
      dead_letter_oversized(q, 'raw', entry, #entry, 0, max_bytes, now, dead_cap)
    else
      id = '#' .. redis.call('INCR', q.seq)
      body = entry
      raw = true
      redis.call('HSET', q.msgs, id, body)
      break
    end
  end
  balance_signal(q)

  if id then
    redis.call('ZADD', q.leased, int_text(now + lease_ms), id)
    local n = redis.call('HINCRBY', q.deliveries, id, '1')
    local index, name = -1, ''
    -- a raw entry may be early (its taker gives it back delayed): never started here
    if start and n == 1 and not raw then
      index, name = start_claimed(start, body)
    end
    return { id, body, n, now, index, name }
  end

  local next_due = -1
  local first_delayed = redis.call('ZRANGE', q.delayed, 0, 0, 'WITHSCORES')
  if #first_delayed > 0 then
    next_due = tonumber(first_delayed[2])
  end
  local first_lease = redis.call('ZRANGE', q.leased, 0, 0, 'WITHSCORES')
  if #first_lease > 0 then
    local lease_end = tonumber(first_lease[2])
    if next_due < 0 or lease_end < next_due then
      next_due = lease_end
    end
  end
  if next_due < 0 then
    return -1
  end
  return math.max(next_due - now, 0)
end

-- Store indexes. A job is listed in three sorted sets, each scored by its sequence number (the
-- order the store first saw it, so a listing cursor is valid in every index): all jobs, its
-- status and its workflow. A write that keeps the status and workflow (most writes change only
-- the JSON) touches no index; a status change moves the job between two status sets. Listing by
-- status and workflow together walks one of the two and filters by the other field.
local function status_index(s, status)
  return need(s.index_prefix .. 'status:' .. status)
end

local function workflow_index(s, workflow)
  return need(s.index_prefix .. 'workflow:' .. workflow)
end

-- A job's key by its member (declared: checked by need()).
local function job_key(s, member)
  return need(s.job_prefix .. member)
end

-- The stored fields the scripts decide on, in one call: status, workflow, seq, expires, steps
-- (completed) and attempt (each false when the job is not stored; steps and attempt also when
-- the job was written before they were kept, or attempt by a writer that did not give it).
local function read_job(key)
  local f = redis.call('HMGET', key, 'status', 'workflow', 'seq', 'expires', 'steps', 'attempt', 'started')
  local started = f[7]
  if started == '' then
    started = false -- emptied by a write (write_job): none
  end
  return { status = f[1], workflow = f[2], seq = f[3], expires = f[4], steps = f[5], attempt = f[6], started = started }
end

-- The write fence (WriteFence.java is the reference: keep the two the same). A job's progress is
-- (steps completed, attempt), compared in that order; its rank is 0 for SCHEDULED and PENDING, 1
-- for QUEUED, 2 for RUNNING and CANCELLING, 3 for a final status. A write is refused when the
-- stored job is final and the written one not, when its progress is lower, or when the progress
-- is equal and its rank lower, or equal and not 2 (a RUNNING state may be written again: a
-- delivery after a lost lease runs the step again).
local RANK = { SCHEDULED = 0, PENDING = 0, QUEUED = 1, RUNNING = 2, CANCELLING = 2 }

local function rank(status)
  return RANK[status] or 3
end

local function refuses(old_status, old_steps, old_attempt, status, steps, attempt)
  if FINAL[old_status] and not FINAL[status] then
    return true
  end
  if steps ~= old_steps then
    return steps < old_steps
  end
  if attempt ~= old_attempt then
    return attempt < old_attempt
  end
  local r, old_r = rank(status), rank(old_status)
  return r < old_r or (r == old_r and r ~= 2)
end

-- The attempt a job's JSON carries (the extra field ergate_attempt, a whole number from 1; else 1).
local function attempt_of(json)
  if not json or not string.find(json, 'ergate_attempt', 1, true) then
    return 1
  end
  local ok, doc = pcall(cjson.decode, json)
  local a = ok and type(doc) == 'table' and doc.ergate_attempt
  if type(a) == 'number' and a >= 1 and a <= 2147483647 and math.floor(a) == a then
    return a
  end
  return 1
end

-- The stored job's progress: its steps and attempt fields, else (a job written before they were
-- kept, or by a writer that did not give the attempt) read from its JSON.
local function stored_progress(key, old)
  local steps, attempt = tonumber(old.steps), tonumber(old.attempt)
  if steps and attempt then
    return steps, attempt
  end
  local json = redis.call('HGET', key, 'json')
  if not steps then
    local ok, doc = pcall(cjson.decode, json or '')
    steps = ok and type(doc) == 'table' and tonumber(doc.steps_completed) or 0
  end
  return steps, attempt or attempt_of(json)
end

-- May a state (`status`, `steps` completed, `attempt`) replace what is stored (`old`, read_job's,
-- under `key`)? `fence`: 'fence' (WriteFence: store updates, step starts and finishes), 'final'
-- (only never a non-final state over a final one: a submit, the publisher's write over the very
-- state it claimed), 'insert' (only when nothing is stored), 'none' (admin repairs) or
-- 'replace' (a deliberate resubmit). True when refused.
local function fenced(key, old, status, steps, attempt, fence)
  if not old.status or fence == 'none' or fence == 'replace' then
    return false
  end
  if fence == 'insert' then
    return true
  end
  if fence == 'final' then
    return FINAL[old.status] and not FINAL[status]
  end
  local old_steps, old_attempt = stored_progress(key, old)
  return refuses(old.status, old_steps, old_attempt, status, steps, attempt or 1)
end

-- Is a stored job past its retention (and so as good as deleted)?
local function expired(old, now)
  return old.expires and tonumber(old.expires) <= now
end

-- Deletes a job and its index entries.
local function forget(s, key, member, status, workflow)
  if status then
    redis.call('ZREM', status_index(s, status), member)
    redis.call('ZREM', workflow_index(s, workflow), member)
  end
  redis.call('ZREM', s.all, member)
  redis.call('ZREM', s.expiring, member)
  redis.call('DEL', key)
end

-- Declares the index keys forget() touches for a stored job (its status and workflow).
local function need_indexes(s, status, workflow)
  if status then
    status_index(s, status)
    workflow_index(s, workflow)
  end
end

-- Writes a job's state over `old` (what read_job found): replaces everything but a stored
-- CANCELLING, which a non-final status does not overwrite. Only what changed is written: the
-- JSON and the write time (ms, 'updated', for the admin) always, the status and workflow (and
-- their indexes) when they differ, the expiry when the
-- job becomes final with a retention or stops being final. Returns the status stored, or false
-- (nothing written) when the write fence refused it (see fenced()). `attempt`: the written job's
-- (WriteFence.attemptOf), or nil when the caller did not give it (then read from the JSON when a
-- fence needs it). A stored CANCELLING is kept over a non-final state, but not by 'replace'.
-- `may_write` (optional): called once every key is known declared and before the first write;
-- when it returns false nothing is written and write_job returns nil (finish_step ends the
-- delivery's lease there: the lease check and its removal are one ZREM).
local function write_job(s, member, old, json, status, workflow, retention, now, steps, fence, attempt, may_write)
  -- declare the indexes this write touches (and only those: a step's start or finish moves one
  -- status, so the caller sends two status indexes, not nine)
  local live = old
  if old.status and expired(old, now) then
    need_indexes(s, old.status, old.workflow)
    live = {}
  end
  if not live.status then
    need_indexes(s, status, workflow)
  else
    local to = status
    if live.status == 'CANCELLING' and not FINAL[status] and fence ~= 'replace' then
      to = 'CANCELLING'
    end
    if live.status ~= to then
      status_index(s, live.status)
      status_index(s, to)
    end
    if live.workflow ~= workflow then
      workflow_index(s, live.workflow)
      workflow_index(s, workflow)
    end
  end
  check_declared()
  if may_write and not may_write() then
    return nil
  end
  if old.status and expired(old, now) then
    forget(s, s.job, member, old.status, old.workflow) -- a job past its retention starts afresh
    old = {}
  end
  if fenced(s.job, old, status, steps, attempt, fence) then
    return false
  end
  if old.status == 'CANCELLING' and not FINAL[status] and fence ~= 'replace' then
    status = 'CANCELLING'
  end
  -- one HSET for every field this write sets (each redis.call costs the script about 3,000
  -- instructions before the command's own work)
  local expires = FINAL[status] and retention > 0 and int_text(now + retention)
  local fields
  if not old.status then
    local seq = redis.call('INCR', s.jobseq)
    redis.call('ZADD', s.all, seq, member)
    redis.call('ZADD', status_index(s, status), seq, member)
    redis.call('ZADD', workflow_index(s, workflow), seq, member)
    fields = { 'json', json, 'status', status, 'workflow', workflow, 'seq', seq, 'updated', now,
      'steps', steps, 'attempt', attempt or '' }
  else
    -- as text: see int_text (a step's finish comes here)
    fields = { 'json', json, 'updated', int_text(now), 'steps', int_text(steps), 'attempt',
      attempt and int_text(attempt) or '' }
    if old.status ~= status then
      redis.call('ZREM', status_index(s, old.status), member)
      redis.call('ZADD', status_index(s, status), old.seq, member)
      fields[#fields + 1] = 'status'
      fields[#fields + 1] = status
    end
    if old.workflow ~= workflow then
      redis.call('ZREM', workflow_index(s, old.workflow), member)
      redis.call('ZADD', workflow_index(s, workflow), old.seq, member)
      fields[#fields + 1] = 'workflow'
      fields[#fields + 1] = workflow
    end
    if old.started then
      -- the JSON written is the whole state now (see start_claimed): the marker is emptied in
      -- this HSET rather than deleted by another call; every reader takes '' for none
      fields[#fields + 1] = 'started'
      fields[#fields + 1] = ''
    end
  end
  if expires then
    fields[#fields + 1] = 'expires'
    fields[#fields + 1] = expires
  end
  redis.call('HSET', s.job, unpack(fields))
  if FINAL[status] and old.status ~= status then
    redis.call('PUBLISH', s.index_prefix .. 'final', member) -- wakes awaiting clients (RedisFinalStateNotifier)
  end
  if expires then
    redis.call('ZADD', s.expiring, expires, member) -- deleted by purge_jobs.lua (RedisJobStore)
  elseif old.expires then
    redis.call('HDEL', s.job, 'expires')
    redis.call('ZREM', s.expiring, member)
  end
  return status
end
