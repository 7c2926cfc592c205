-- store_update: KEYS = store keys; ARGV = member, json, status, workflow, retention (ms, 0 for
-- none), now (ms, the caller's clock: retention is counted by it), index prefix, job prefix,
-- steps completed, fence ('fence': the write fence of update; 'replace': none, over anything;
-- 'insert': only when no job of the id is stored), attempt. Returns the status stored, or 0 when
-- the fence refused the write (nothing written; see fenced() in lib.lua).
local s = store_keys(1, ARGV[7], ARGV[8])
local stored = write_job(s, ARGV[1], read_job(s.job), ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]),
  tonumber(ARGV[9]), ARGV[10], tonumber(ARGV[11]))
return stored or 0
