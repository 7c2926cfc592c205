-- store_update: KEYS = store keys; ARGV = member, json, status, workflow, retention (ms, 0 for
-- none), now (ms), index prefix, job prefix. Returns the status stored.
local s = store_keys(1, ARGV[7], ARGV[8])
return write_job(s, ARGV[1], read_job(s.job), ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
