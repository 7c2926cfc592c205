-- unique_sweep (RedisJobAdmin.purgeJobs): KEYS = the unique-key hash, then the job key of each
-- entry's holder; ARGV = now (ms, the caller's clock), then a unique key and the entry the caller
-- read for it (one pair per holder key, in the same order). Deletes each entry that is unchanged,
-- whose hold has passed and whose holder is gone, past its retention or final: a free key (see
-- unique_record.lua), so deleting it changes nothing but memory. Returns how many it deleted.
local now = tonumber(ARGV[1])
local deleted = 0
for i = 2, #KEYS do
  local key, seen = ARGV[2 * i - 2], ARGV[2 * i - 1]
  if redis.call('HGET', KEYS[1], key) == seen then
    local space = string.find(seen, ' ', 1, true)
    if tonumber(string.sub(seen, 1, space - 1)) <= now then
      local old = read_job(KEYS[i])
      if not old.status or expired(old, now) or FINAL[old.status] then
        redis.call('HDEL', KEYS[1], key)
        deleted = deleted + 1
      end
    end
  end
end
return deleted
