-- list_jobs: KEYS = store keys (the job key is unused), then the index to walk;
-- ARGV = after (sequence number, exclusive), page size, now (ms), index prefix, job prefix.
-- Returns {more (0/1), last sequence number on the page or '', json1, status1, json2, ...}.
local s = store_keys(1, ARGV[4], ARGV[5])
local index = KEYS[5]
local limit = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
purge_expired(s, now, 64)
local rows = redis.call('ZRANGEBYSCORE', index, '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, limit + 1)
local out = { 0, '' }
local taken = 0
for i = 1, #rows, 2 do
  if taken == limit then
    out[1] = 1
    break
  end
  local fields = redis.call('HMGET', s.job_prefix .. rows[i], 'json', 'status', 'expires')
  if fields[1] and not (fields[3] and tonumber(fields[3]) <= now) then
    out[#out + 1] = fields[1]
    out[#out + 1] = fields[2]
  end
  taken = taken + 1
  out[2] = rows[i + 1]
end
return out
