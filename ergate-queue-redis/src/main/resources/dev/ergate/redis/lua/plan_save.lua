-- plan_save (RedisJobQueue.startOnTake): KEYS = the plan key ({ns}:plan:SHA1 of its content);
-- ARGV = time to live (ms), then field, step name pairs (field: "workflow\nindex").
-- Writes the step names a claim that starts steps looks up (start_claimed in lib.lua). The key is
-- named by its content, so workers with the same plan share it and a changed plan is a new key; it
-- expires after a while (a claim that finds it gone says so, and the queue writes it again).
for i = 2, #ARGV - 1, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
