-- Points a project's alias at any deployment of its history at once (a rollback), and announces the move.
-- KEYS: 1 aliases (hash), 2 the project's history (sorted set)
-- ARGV: 1 the project's name, 2 the deployment's id, 3 the aliases channel
-- Returns 1 when the alias moved, 0 when the deployment is not the project's.
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 1
