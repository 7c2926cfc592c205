-- claim: KEYS = queue keys; ARGV = lease time (ms), largest body (bytes), dead-letter cap (0: none).
-- See claim() in lib.lua; times are the server's.
return claim(queue_keys(1), now_ms(), tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
