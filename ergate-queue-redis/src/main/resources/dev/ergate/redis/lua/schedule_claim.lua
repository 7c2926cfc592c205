-- schedule_claim: KEYS = schedule hash, its claims hash (tick ms -> "leaseUntil owner");
-- ARGV = tick (ms), owner, lease until (ms), now (ms). Returns 1 when the caller holds the tick:
-- a tick after the cursor nobody claimed (the cursor moves to it), or a claim whose lease ended.
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[1], 'paused') == '1' then
  return 0
end
local tick = tonumber(ARGV[1])
local claim = redis.call('HGET', KEYS[2], ARGV[1])
if claim then
  local lease = tonumber(string.match(claim, '^(%d+)'))
  if lease < tonumber(ARGV[4]) then
    redis.call('HSET', KEYS[2], ARGV[1], ARGV[3] .. ' ' .. ARGV[2])
    return 1
  end
  return 0
end
if tick <= tonumber(redis.call('HGET', KEYS[1], 'cursor')) then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3] .. ' ' .. ARGV[2])
redis.call('HSET', KEYS[1], 'cursor', tick)
return 1
