-- schedule_save: KEYS = schedule index (zset), schedule hash; ARGV = id, definition, paused (0/1),
-- cursor (ms). Creates or replaces; the cursor never moves back.
local cursor = tonumber(ARGV[4])
local old = tonumber(redis.call('HGET', KEYS[2], 'cursor'))
if old and old > cursor then
  cursor = old
end
redis.call('HSET', KEYS[2], 'definition', ARGV[2], 'paused', ARGV[3], 'cursor', cursor)
redis.call('ZADD', KEYS[1], 0, ARGV[1])
return 1
