-- GIVE_BACK: a consumer hands an id it took back to the queue, at the end taken next, waiting again, unless it
-- ended meanwhile.
-- KEYS: 1 the consumer's processing list, 2 build-queue, 3 status hash, 4 the record, 5 deployment-events
-- ARGV: 1 id, 2 the state it moves to, 3 the states it may move from
-- Returns 1 when the id was in the processing list, 0 when it was not.
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
local current = stateOf(KEYS[3], ARGV[1])
if current and words(ARGV[3])[current] then
  move(KEYS[3], KEYS[4], KEYS[5], ARGV[1], current, ARGV[2], {})
  enqueueNext(KEYS[2], ARGV[1])
end
return 1
