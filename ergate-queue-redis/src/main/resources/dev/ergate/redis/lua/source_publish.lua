-- source_publish (RedisJobSource.atomicPublish): KEYS = queue keys (QUEUE_KEYS of them), store keys
-- (job, jobseq, expiring, all), claims zset, claims hash, then the status and workflow indexes
-- the write may touch (checked by need(), see lib.lua); ARGV = member, owner, queued json,
-- status, workflow, now (ms, the caller's, for the write time as source_published), index prefix,
-- job prefix, attempt, message body, due (ms, 0 for now; compared with the server's clock),
-- priority, put token (as put.lua: enqueue_once).
-- One step of what put.lua and source_published.lua do in two: only if the owner still holds the
-- member's claim and the stored state is the very one claimed, records the queued state, drops
-- the claim and puts the message. Otherwise puts and writes nothing (a claim this owner still holds
-- is dropped, as source_published does: the state it claimed is gone). So a publisher whose claim ran
-- out and was taken over can't put a second message for the job. Returns 1 when it put, else 0.
local member, owner = ARGV[1], ARGV[2]
local claims, claimed_by = KEYS[QUEUE_KEYS + 5], KEYS[QUEUE_KEYS + 6]
local s = store_keys(QUEUE_KEYS + 1, ARGV[7], ARGV[8])
-- every index the write may touch is declared before anything is written (lib.lua, need())
local stored = read_job(s.job)
need_indexes(s, stored.status, stored.workflow)
need_indexes(s, ARGV[4], ARGV[5])
check_declared()
local mine = redis.call('HGET', claimed_by, member)
if not mine or string.sub(mine, 1, #owner + 1) ~= owner .. ' ' then
  return 0
end
redis.call('ZREM', claims, member)
redis.call('HDEL', claimed_by, member)
local json = redis.call('HGET', s.job, 'json')
if not json or redis.sha1hex(json) ~= string.sub(mine, #owner + 2) then
  return 0
end
-- The claimed state is the stored one (checked above), so its steps completed carry over unchanged.
local old = read_job(s.job)
if not write_job(s, member, old, ARGV[3], ARGV[4], ARGV[5], 0, tonumber(ARGV[6]), tonumber(old.steps) or 0, 'final',
    tonumber(ARGV[9])) then
  return 0
end
local q = queue_keys(1)
enqueue_once(q, ARGV[13], ARGV[10], tonumber(ARGV[11]), now_ms(), true, tonumber(ARGV[12]))
return 1
