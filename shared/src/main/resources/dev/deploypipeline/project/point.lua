-- Points a project's alias at any deployment of its history at once (a rollback) and pins the site there, so later
-- deployments build without moving it until one is promoted or the pin is lifted. Announces the move on the aliases
-- channel and tells it on deployment-events as a site move (rolled_back, pinned).
-- KEYS: 1 aliases (hash), 2 the project's history (sorted set), 3 alias pins (hash), 4 deployment-events (stream)
-- ARGV: 1 the project's name, 2 the deployment's id, 3 the aliases channel, 4 the state word of a deployed one
-- Returns 1 when the alias moved, 0 when the deployment is not the project's.
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', '10000', '*', 'id', ARGV[2], 'state', ARGV[4], 'previous', ARGV[4],
  'project', ARGV[1], 'move', 'rolled_back', 'site', ARGV[1], 'pinned', 'true')
return 1
