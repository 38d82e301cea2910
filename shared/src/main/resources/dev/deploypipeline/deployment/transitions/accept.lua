-- Records a new deployment in its first state (cloning), with its fetch lease and, for a project, its place in
-- the project's history: one step, so no deployment is ever left fetching with no lease to end it.
-- KEYS: 1 status hash, 2 its record, 3 every deployment (sorted set), 4 fetch leases (sorted set),
--       5 deployment-events (stream), 6 the project's history (sorted set), only when it has a project
-- ARGV: 1 id, 2 its first state, 3 created at (ms), 4 its lease runs out at (ms), 5.. field/value pairs
-- Returns 1 when recorded, 0 when the id was recorded already.
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
if #KEYS >= 6 then redis.call('ZADD', KEYS[6], ARGV[3], ARGV[1]) end
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
move(KEYS[1], KEYS[2], KEYS[5], ARGV[1], '', ARGV[2], {})
return 1
