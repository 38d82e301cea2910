-- GIVE_BACK or FAIL, for the ids of a consumer whose heartbeat expired: each goes back to the end of the queue
-- taken next with one more attempt, or past the most attempts ends failed and goes to the dead letters. The ids
-- were read from the processing list before; one no longer in it is left alone. Nothing while the heartbeat lives.
-- KEYS: 1 the processing list, 2 its consumer's heartbeat, 3 build-queue, 4 dead letters, 5 status hash,
--       6 deployment-events, 7.. the records of the ids, in the order of the ids in ARGV
-- ARGV: 1 most attempts, 2 now, 3 the state to wait in again, 4 the failed state, 5 the states it may move
--       from, 6 the reason given up with (%d: the attempts), 7.. the ids, newest taken first
-- Returns {ids queued again, ids given up on}.
if redis.call('EXISTS', KEYS[2]) == 1 then return {{}, {}} end
local requeued, dead = {}, {}
local movable = words(ARGV[5])
for i = 7, #ARGV do
  local id, record = ARGV[i], KEYS[i]
  if redis.call('LREM', KEYS[1], 1, id) == 1 then
    local current = stateOf(KEYS[5], id)
    if current and movable[current] then
      local attempts = redis.call('HINCRBY', record, 'attempts', 1)
      if attempts > tonumber(ARGV[1]) then
        move(KEYS[5], record, KEYS[6], id, current, ARGV[4],
          {'error', string.format(ARGV[6], attempts - 1), 'finishedAt', ARGV[2]})
        redis.call('LPUSH', KEYS[4], id)
        dead[#dead + 1] = id
      else
        move(KEYS[5], record, KEYS[6], id, current, ARGV[3], {})
        enqueueNext(KEYS[3], id)
        requeued[#requeued + 1] = id
      end
    end
  end
end
return {requeued, dead}
