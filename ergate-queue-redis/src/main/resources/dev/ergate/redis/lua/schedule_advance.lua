-- schedule_advance: KEYS = schedule hash; ARGV = new cursor (ms). Forward only.
local cursor = tonumber(redis.call('HGET', KEYS[1], 'cursor'))
if cursor and cursor < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'cursor', ARGV[1])
end
return 1
