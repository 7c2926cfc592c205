-- store_update: KEYS = store keys; ARGV = member, json, status, workflow, retention (ms, 0 for
-- none), now (ms, the caller's clock: retention is counted by it), index prefix, job prefix,
-- steps completed, fence ('final', or 'none' for a deliberate replace). Returns the status stored,
-- or 0 when the write fence refused it: a non-final state over a final one (nothing written; see
-- fenced() in lib.lua).
local s = store_keys(1, ARGV[7], ARGV[8])
local stored = write_job(s, ARGV[1], read_job(s.job), ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]),
  tonumber(ARGV[9]), ARGV[10])
return stored or 0
