-- CANCEL and SUPERSEDE: the deployment ends cancelled, and leaves wherever it was: the queue when it waited, the
-- fetch leases when it was being fetched (its fetch then queues nothing). A build is announced on the
-- cancellations channel, and the replica running it kills it.
-- KEYS: 1 status hash, 2 the record, 3 build-queue, 4 fetch leases, 5 deployment-events
-- ARGV: 1 id, 2 the state it moves to, 3 the states it may move from, 4 finished at, 5 the reason,
--       6 the waiting state (uploaded), 7 the building state, 8 the cancellations channel
-- Returns {1, the state it was in} when it moved, {0, the state it is in, or ''} when it did not.
local current = stateOf(KEYS[1], ARGV[1])
if not current then return {0, ''} end
if not words(ARGV[3])[current] then return {0, current} end
move(KEYS[1], KEYS[2], KEYS[5], ARGV[1], current, ARGV[2], {'finishedAt', ARGV[4], 'error', ARGV[5]})
redis.call('ZREM', KEYS[4], ARGV[1])
if current == ARGV[6] then
  redis.call('LREM', KEYS[3], 0, ARGV[1])
elseif current == ARGV[7] then
  redis.call('PUBLISH', ARGV[8], ARGV[1])
end
return {1, current}
