-- admin_list_jobs: as list_jobs, for the admin: each job also brings its write time.
-- KEYS = store keys (the job key is unused), then the index to walk, then (with both filters) the
-- other filter's index; ARGV = after (sequence number, exclusive), most entries to examine, now
-- (ms), index prefix, job prefix, status filter ('' for none), workflow filter ('' for none).
-- Returns {more (0/1), last sequence number examined or '', json1, status1, updated1, seq1, started1, json2,
-- ...} (started: the start marker of a job a claim started, '' for none; see start_claimed in lib.lua);
-- the caller applies its other filters and asks again after the last examined entry.
local s = store_keys(1, ARGV[4], ARGV[5])
local index = KEYS[5]
if ARGV[6] ~= '' and ARGV[7] ~= '' and redis.call('ZCARD', KEYS[6]) < redis.call('ZCARD', index) then
  index = KEYS[6]
end
local most = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local want_status = ARGV[6]
local want_workflow = ARGV[7]
local rows = redis.call('ZRANGEBYSCORE', index, '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, most)
local upto = page_rows(s, rows, (ARGV[6] ~= '' and ARGV[7] ~= '') and 7 or 6) -- see lib.lua
local out = { upto < #rows and 1 or 0, '' }
for i = 1, upto, 2 do
  local f = redis.call('HMGET', job_key(s, rows[i]), 'json', 'status', 'workflow', 'expires', 'updated', 'started')
  if f[1] and not (f[4] and tonumber(f[4]) <= now)
      and (want_status == '' or f[2] == want_status)
      and (want_workflow == '' or f[3] == want_workflow) then
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    out[#out + 1] = f[5] or ''
    out[#out + 1] = rows[i + 1]
    out[#out + 1] = f[6] or ''
  end
  out[2] = rows[i + 1]
end
if #rows == 2 * most then
  out[1] = 1
end
return out
