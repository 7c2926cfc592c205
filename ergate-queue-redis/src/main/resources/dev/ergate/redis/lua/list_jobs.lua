-- list_jobs: KEYS = store keys (the job key is unused), then the index to walk, then (with both
-- filters) the other filter's index; ARGV = after (sequence number, exclusive), page size, now
-- (ms), index prefix, job prefix, status filter ('' for none), workflow filter ('' for none),
-- most entries to examine (at least page size + 1).
-- With two indexes the smaller is walked and each entry checked against both filters; an entry
-- past its retention is skipped. A page stops after `page size` jobs or `most` entries examined,
-- so it may hold fewer jobs than asked and still have a next page.
-- The job keys of the entries read are not known before: the first run names them
-- (ERGATE_UNDECLARED) and the caller runs it again with them (see page_rows in lib.lua). Expired jobs are deleted by
-- purge_jobs.lua, which RedisJobStore runs before a listing.
-- Returns {more (0/1), last sequence number examined or '', json1, status1, started1, json2, ...}
-- (started: the start marker of a job a claim started, '' for none; see start_claimed in lib.lua).
local s = store_keys(1, ARGV[4], ARGV[5])
local index = KEYS[5]
if ARGV[6] ~= '' and ARGV[7] ~= '' and redis.call('ZCARD', KEYS[6]) < redis.call('ZCARD', index) then
  index = KEYS[6]
end
local limit = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local want_status = ARGV[6]
local want_workflow = ARGV[7]
local most = tonumber(ARGV[8])
local rows = redis.call('ZRANGEBYSCORE', index, '(' .. ARGV[1], '+inf', 'WITHSCORES', 'LIMIT', 0, most)
local upto = page_rows(s, rows, (ARGV[6] ~= '' and ARGV[7] ~= '') and 7 or 6)
local out = { upto < #rows and 1 or 0, '' }
local taken = 0
for i = 1, upto, 2 do
  if taken == limit then
    out[1] = 1
    break
  end
  local f = redis.call('HMGET', job_key(s, rows[i]), 'json', 'status', 'workflow', 'expires', 'started')
  if f[1] and not (f[4] and tonumber(f[4]) <= now)
      and (want_status == '' or f[2] == want_status)
      and (want_workflow == '' or f[3] == want_workflow) then
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    out[#out + 1] = f[5] or ''
    taken = taken + 1
  end
  out[2] = rows[i + 1]
end
if out[1] == 0 and #rows == 2 * most then
  out[1] = 1 -- stopped at `most` entries: there may be more
end
return out
