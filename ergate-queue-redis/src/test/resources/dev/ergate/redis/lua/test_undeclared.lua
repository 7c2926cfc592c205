-- Test-only (RedisScriptKeysTest): reads the key named in ARGV[1], which the caller may not have
-- declared in KEYS.
return redis.call('GET', ARGV[1])
