-- Promotes a deployed deployment of the project's history: its site serves it at once and the pin is lifted, so
-- the next deployment created after it moves the site again. Announces the move on the aliases channel and tells it
-- on deployment-events as a site move (promoted, not pinned).
-- KEYS: 1 aliases (hash), 2 the project's history (sorted set), 3 alias pins (hash), 4 deployment-events (stream),
--       5 status (hash)
-- ARGV: 1 the project's name, 2 the deployment's id, 3 the aliases channel, 4 the state word of a deployed one
-- Returns 1 when promoted, 0 when the deployment is not the project's, -1 when it is not deployed.
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
if redis.call('HGET', KEYS[5], ARGV[2]) ~= ARGV[4] then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('PUBLISH', ARGV[3], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', '10000', '*', 'id', ARGV[2], 'state', ARGV[4], 'previous', ARGV[4],
  'project', ARGV[1], 'move', 'promoted', 'site', ARGV[1], 'pinned', 'false')
return 1
