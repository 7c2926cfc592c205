-- Test-only (RedisScriptKeysTest): reads the key named in ARGV[1] after need() declared it: a run
-- without it in KEYS names it (ERGATE_UNDECLARED) and LuaScript runs the script again with it.
-- Returns the value and how many keys the run was given.
local key = need(ARGV[1])
check_declared()
return { redis.call('GET', key) or '', #KEYS }
