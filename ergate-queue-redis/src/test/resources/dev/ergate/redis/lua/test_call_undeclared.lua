-- Test-only (RedisClusterTest): reads the key named in ARGV[1], not declared, through lib.lua's
-- call_undeclared, then writes the declared KEYS[1]: a key Redis refuses (another slot, another
-- node) comes back as 'refused' and the script goes on.
local value = call_undeclared('GET', ARGV[1])
redis.call('SET', KEYS[1], 'went on')
return { value or 'refused', redis.call('GET', KEYS[1]) }
