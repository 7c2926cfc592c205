-- put: KEYS = queue keys; ARGV = body, due (ms, 0 for now; compared with the server's clock),
-- priority, put token ('' for none: see enqueue_once; a retried put of one job's step leaves one message).
-- Returns the message id.
local q = queue_keys(1)
return enqueue_once(q, ARGV[4], ARGV[1], tonumber(ARGV[2]), now_ms(), true, tonumber(ARGV[3]))
