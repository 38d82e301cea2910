-- Revokes a deploy hook: its secret finds nothing from now on.
-- KEYS: 1 the hook (hash), 2 the project's hooks (hash: id -> SHA-256)
-- ARGV: 1 its id, 2 the SHA-256 of its secret
-- Returns 1 when revoked, 0 when the project has no such hook (any more).
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
