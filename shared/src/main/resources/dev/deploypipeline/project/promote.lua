-- Points a project's alias at a deployment of its history that has just been deployed, forward only: unless it
-- serves a deployment created after this one already, and unless a rollback pinned the site. Announces the move on
-- the aliases channel and tells it on deployment-events as a site move (promoted, not pinned).
-- KEYS: 1 aliases (hash), 2 the project's history (sorted set), 3 alias pins (hash), 4 deployment-events (stream)
-- ARGV: 1 the project's name, 2 the deployment's id, 3 the aliases channel, 4 the state word of a deployed one
-- Returns 1 when the alias moved, 0 when it did not, 2 when the site is pinned.
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return 2 end
return moveForward(KEYS[1], KEYS[2], KEYS[4], ARGV[1], ARGV[2], ARGV[3], ARGV[1], ARGV[4])
