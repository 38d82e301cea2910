-- Points a project's alias at a deployment of its history that has just been deployed, forward only: unless it
-- serves a deployment created after this one already. Announces the move on the aliases channel.
-- KEYS: 1 aliases (hash), 2 the project's history (sorted set)
-- ARGV: 1 the project's name, 2 the deployment's id, 3 the aliases channel
-- Returns 1 when the alias moved, 0 when it did not.
local candidate = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not candidate then return 0 end
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local currentScore = redis.call('ZSCORE', KEYS[2], current)
  if currentScore and tonumber(currentScore) >= tonumber(candidate) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 1
