-- admin_counts: KEYS = the status indexes and the workflows' indexes (each one need()s; at least
-- one key, so a cluster client sends it to the namespace's node); ARGV = index prefix, then
-- workflow names. For each workflow, the
-- number of its jobs in each status (ZINTERCARD of the two indexes, Redis 7).
-- Returns {workflow1, status1, n1, status2, n2, ..., '', workflow2, ...}: zero counts left out.
local STATUSES = { 'SCHEDULED', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'ABORTED', 'PENDING',
  'CANCELLING', 'CANCELLED' }
local prefix = ARGV[1]
local out = {}
for i = 2, #ARGV do
  need(prefix .. 'workflow:' .. ARGV[i])
  for _, status in ipairs(STATUSES) do
    need(prefix .. 'status:' .. status)
  end
end
check_declared()
for i = 2, #ARGV do
  out[#out + 1] = ARGV[i]
  for _, status in ipairs(STATUSES) do
    local n = redis.call('ZINTERCARD', 2, prefix .. 'status:' .. status, prefix .. 'workflow:' .. ARGV[i])
    if n > 0 then
      out[#out + 1] = status
      out[#out + 1] = n
    end
  end
  out[#out + 1] = ''
end
return out
