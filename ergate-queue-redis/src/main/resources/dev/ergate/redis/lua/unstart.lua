-- unstart: KEYS = the job's key, the QUEUED index, the RUNNING index; ARGV = member, the message
-- body the claim started the job from, the start marker it wrote (index, a space, the step name).
-- Undoes start_claimed (lib.lua) for a message a finish claimed and the worker never took (it is
-- given back as the worker stops): the job reads QUEUED again, as before the claim. Only when the
-- stored job is still exactly what that claim left (RUNNING, the same JSON and marker): any write
-- since (a step's start by another worker, a cancel request) is kept. Returns 1 when undone, else 0.
local f = redis.call('HMGET', KEYS[1], 'status', 'json', 'started', 'seq')
if f[1] ~= 'RUNNING' or f[2] ~= ARGV[2] or f[3] ~= ARGV[3] or not f[4] then
  return 0
end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[2], f[4], ARGV[1])
redis.call('HSET', KEYS[1], 'status', 'QUEUED')
redis.call('HDEL', KEYS[1], 'started')
return 1
