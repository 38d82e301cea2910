-- Gives up a preview's label that its branch claimed but that serves nothing yet: the deployment that claimed it
-- builds the project's site after all (the branch is the repository's default). A label that serves a deployment
-- is left as it is.
-- KEYS: 1 aliases (hash), 2 the project's previews (hash)
-- ARGV: 1 the label, 2 the branch
-- Returns 1 when the label was given up, 0 when the branch held no such label or it serves a deployment.
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
