-- REQUEUE: an operator queues a dead letter again, behind everything waiting, its attempts counted anew.
-- KEYS: 1 dead letters, 2 status hash, 3 the record, 4 build-queue, 5 deployment-events
-- ARGV: 1 id, 2 the state it moves to, 3 the states it may move from
-- Returns 1 when it was a dead letter and is queued, 0 when it was not one.
local current = stateOf(KEYS[2], ARGV[1])
if not current or not words(ARGV[3])[current] then return 0 end
if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
move(KEYS[2], KEYS[3], KEYS[5], ARGV[1], current, ARGV[2], {'attempts', '0', 'error', '', 'finishedAt', ''})
enqueue(KEYS[4], ARGV[1])
return 1
