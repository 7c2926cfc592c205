-- schedule_pause: KEYS = schedule hash; ARGV = paused (0/1), now (ms). A resume moves the cursor
-- to at least now. Returns 1 if the schedule exists.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'paused', ARGV[1])
if ARGV[1] == '0' then
  local now = tonumber(ARGV[2])
  if tonumber(redis.call('HGET', KEYS[1], 'cursor')) < now then
    redis.call('HSET', KEYS[1], 'cursor', now)
  end
end
return 1
