-- claim: KEYS = queue keys, then (start on take) the QUEUED and RUNNING status indexes and the
-- plan key; ARGV = lease time (ms), largest body (bytes), dead-letter cap (0: none), then (start
-- on take; else none) plan key, job prefix, index prefix, now (ms, the caller's clock: the
-- write time of a started job).
-- See claim() and start_claimed() in lib.lua; leases and due times are the server's.
local start
if ARGV[4] then
  start = { plan = ARGV[4], job_prefix = ARGV[5], index_prefix = ARGV[6], now = ARGV[7] }
end
return claim(queue_keys(1), now_ms(), tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), start)
