-- source_scan (RedisJobSource): KEYS = the PENDING and SCHEDULED status indexes, the source's
-- claims zset (member -> claim deadline, ms); ARGV = now (ms), how many members of each index to
-- look at, job prefix. Returns member, json, status, ... of the waiting jobs not under a live claim,
-- first-stored first; the caller decodes them, keeps the due ones and claims them with source_claim.
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local out = {}
local free = {}
for i = 1, 2 do
  for _, member in ipairs(redis.call('ZRANGE', KEYS[i], 0, limit - 1)) do
    local claim = redis.call('ZSCORE', KEYS[3], member)
    if not claim or tonumber(claim) <= now then
      need(ARGV[3] .. member) -- the job keys: named by the first run, declared by the second (lib.lua)
      free[#free + 1] = member
    end
  end
end
check_declared()
for _, member in ipairs(free) do
  local f = redis.call('HMGET', ARGV[3] .. member, 'json', 'status')
  if f[1] then
    out[#out + 1] = member
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
  end
end
return out
