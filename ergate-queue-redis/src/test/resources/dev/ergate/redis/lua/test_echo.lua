-- Test-only (RedisScriptKeysTest): returns its arguments as Redis received them, and how many keys
-- it was given.
local out = { #KEYS }
for i = 1, #ARGV do
    out[#out + 1] = ARGV[i]
end
return out
