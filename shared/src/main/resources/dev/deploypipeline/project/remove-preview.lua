-- Removes a branch's preview (the branch was deleted): its label and its alias, announced on the aliases channel.
-- KEYS: 1 aliases (hash), 2 the project's previews (hash)
-- ARGV: 1 the label, 2 the branch, 3 the aliases channel
-- Returns 1 when removed, 0 when the branch held no such preview.
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 1
