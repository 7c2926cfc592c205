-- unique_record (RedisJobStore.recordUnique): KEYS = the unique-key hash, the job key of the
-- holder the caller saw (the new job's key when it saw none), then the store keys of the new job;
-- ARGV = unique key, the hash entry the caller saw ('' for none), then as store_update: member,
-- json, status, workflow, retention (ms), now (ms, the caller's clock), index prefix, job prefix,
-- steps completed; then the hold (ms, 0 for none), the job's attempt (WriteFence.attemptOf).
-- An entry is 'heldUntil member': the key is held while that job is stored and not final, and
-- until heldUntil (ms) in any case. Nothing is released when a job ends: every path that makes a
-- job final (finish, cancel, dead-letter, admin, retention) frees its key, as this script reads
-- the holder's status. Returns {'recorded'} (the job written, with write_job's 'final' fence,
-- and now the holder), {'held', member of the holder} (nothing written), {'stale'} (the fence
-- refused the write: a final job of that id), or {'retry'} when the entry is no longer the one
-- the caller saw (the caller reads it again and declares the new holder's key).
local key, seen = ARGV[1], ARGV[2]
local entry = redis.call('HGET', KEYS[1], key)
if (entry or '') ~= seen then
  return { 'retry' }
end
local now = tonumber(ARGV[8])
if entry then
  local space = string.find(entry, ' ', 1, true)
  local held_until = tonumber(string.sub(entry, 1, space - 1))
  local holder = string.sub(entry, space + 1)
  local old = read_job(KEYS[2])
  if (old.status and not expired(old, now) and not FINAL[old.status]) or now < held_until then
    return { 'held', holder }
  end
end
local s = store_keys(3, ARGV[9], ARGV[10])
if not write_job(s, ARGV[3], read_job(s.job), ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), now, tonumber(ARGV[11]),
    'final', tonumber(ARGV[13])) then
  return { 'stale' }
end
redis.call('HSET', KEYS[1], key, (now + tonumber(ARGV[12])) .. ' ' .. ARGV[3])
return { 'recorded' }
