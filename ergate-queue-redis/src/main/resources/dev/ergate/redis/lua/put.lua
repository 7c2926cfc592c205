-- put: KEYS = queue keys; ARGV = body, due (ms), now (ms). Returns the message id.
local q = queue_keys(1)
return enqueue(q, ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), true)
