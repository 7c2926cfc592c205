-- source_claim (RedisJobSource): KEYS = claims zset, claims hash (member -> owner and the SHA-1 of
-- the JSON claimed), then the job key of each member; ARGV = now (ms), claim deadline (ms), owner, job prefix, then member and
-- SHA-1 pairs. Claims each member that is under no live claim and still stored as SCHEDULED or
-- PENDING with exactly the JSON the caller saw, so two publishers never both claim one state.
-- Returns the members claimed.
local now = tonumber(ARGV[1])
local claimed = {}
for i = 5, #ARGV, 2 do
  need(ARGV[4] .. ARGV[i])
end
check_declared()
for i = 5, #ARGV, 2 do
  local member, sha = ARGV[i], ARGV[i + 1]
  local claim = redis.call('ZSCORE', KEYS[1], member)
  if not claim or tonumber(claim) <= now then
    local f = redis.call('HMGET', ARGV[4] .. member, 'json', 'status')
    if f[1] and (f[2] == 'PENDING' or f[2] == 'SCHEDULED') and redis.sha1hex(f[1]) == sha then
      redis.call('ZADD', KEYS[1], ARGV[2], member)
      redis.call('HSET', KEYS[2], member, ARGV[3] .. ' ' .. sha)
      claimed[#claimed + 1] = member
    end
  end
end
return claimed
