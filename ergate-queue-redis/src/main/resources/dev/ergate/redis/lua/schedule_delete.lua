-- schedule_delete: KEYS = schedule index, schedule hash, its claims hash; ARGV = id.
-- Returns 1 if the schedule existed.
local existed = redis.call('EXISTS', KEYS[2])
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[1], ARGV[1])
return existed
