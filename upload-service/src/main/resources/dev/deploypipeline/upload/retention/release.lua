-- Releases the retention sweep's lock, only if this replica still holds it.
-- KEYS: 1 the lock
-- ARGV: 1 the holder's token
-- Returns 1 when released, 0 when another holds it (or nobody).
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
