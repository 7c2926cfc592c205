-- claim: KEYS = queue keys; ARGV = now (ms), lease time (ms).
-- Moves due delayed messages to the ready list, then leases one message: a message whose lease
-- ran out first (its taker is presumably dead), else the head of the ready list. A ready entry
-- that is not a message id is a raw document someone pushed straight onto the list: it becomes
-- a message of its own (the taker decodes it, and dead-letters it if it is not a job).
-- Returns {id, body, delivery count, lease deadline}, or, when nothing is available, the time
-- (ms) the next delayed message is due or lease runs out (-1 for none).
local q = queue_keys(1)
local now = tonumber(ARGV[1])
local deadline = now + tonumber(ARGV[2])

local due = redis.call('ZRANGEBYSCORE', q.delayed, '-inf', now, 'LIMIT', 0, 100)
if #due > 0 then
  redis.call('ZREM', q.delayed, unpack(due))
  redis.call('RPUSH', q.ready, unpack(due))
end

local id, body
local expired = redis.call('ZRANGEBYSCORE', q.leased, '-inf', now, 'LIMIT', 0, 1)
if #expired > 0 then
  id = expired[1]
  body = redis.call('HGET', q.msgs, id)
  if not body then
    redis.call('ZREM', q.leased, id)
    redis.call('HDEL', q.deliveries, id)
    id = nil
  end
end
if not id then
  local entry = redis.call('LPOP', q.ready)
  if entry then
    body = redis.call('HGET', q.msgs, entry)
    if body then
      id = entry
    else
      id = '#' .. redis.call('INCR', q.seq)
      body = entry
      redis.call('HSET', q.msgs, id, body)
    end
  end
end
balance_signal(q)

if id then
  redis.call('ZADD', q.leased, deadline, id)
  local n = redis.call('HINCRBY', q.deliveries, id, 1)
  return { id, body, n, deadline }
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
return next_due
