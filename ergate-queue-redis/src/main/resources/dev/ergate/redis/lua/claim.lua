-- claim: KEYS = queue keys; ARGV = now (ms), lease time (ms). See claim() in lib.lua.
return claim(queue_keys(1), tonumber(ARGV[1]), tonumber(ARGV[2]))
