-- put: KEYS = queue keys; ARGV = body, due (ms, 0 for now; compared with the server's clock),
-- priority.
-- Returns the message id.
local q = queue_keys(1)
return enqueue(q, ARGV[1], tonumber(ARGV[2]), now_ms(), true, tonumber(ARGV[3]))
