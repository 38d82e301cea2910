-- Points a branch's preview at a deployment of it that has just been deployed, forward only as a project's site
-- moves, and only while the branch still holds the label (a deleted branch's late build brings nothing back).
-- Announces the move on the aliases channel with the label and tells it on deployment-events (promoted).
-- KEYS: 1 aliases (hash), 2 the project's history (sorted set), 3 the project's previews (hash), 4 deployment-events
-- ARGV: 1 the label, 2 the deployment's id, 3 the branch, 4 the aliases channel, 5 the project's name,
--       6 the state word of a deployed one
-- Returns 1 when the preview moved, 0 when it did not.
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[3] then return 0 end
return moveForward(KEYS[1], KEYS[2], KEYS[4], ARGV[1], ARGV[2], ARGV[4], ARGV[5], ARGV[6])
