-- A move of DeploymentState.Move that changes nothing but the deployment itself (FAIL, FAIL_FETCH).
-- KEYS: 1 status hash, 2 the record, 3 deployment-events, 4 (FAIL_FETCH only) the fetch leases, which the id leaves
-- in the same step, so a lease never ends while its deployment is still cloning: after this it is not
-- ARGV: 1 id, 2 the state it moves to, 3 the states it may move from (comma-separated), 4.. field/value pairs
-- Returns {1, the state it was in} when it moved, {0, the state it is in, or ''} when it did not.
if KEYS[4] then redis.call('ZREM', KEYS[4], ARGV[1]) end
local current = stateOf(KEYS[1], ARGV[1])
if not current then return {0, ''} end
if not words(ARGV[3])[current] then return {0, current} end
move(KEYS[1], KEYS[2], KEYS[3], ARGV[1], current, ARGV[2], from(4))
return {1, current}
