-- UPLOAD: the sources are in S3; the deployment waits in the queue and its fetch lease ends, in one step, so it
-- is never waiting with nothing queued. Safe to retry: a repeat that finds its own commit recorded answers as
-- the first call did and queues nothing more.
-- KEYS: 1 status hash, 2 the record, 3 build-queue, 4 fetch leases, 5 deployment-events
-- ARGV: 1 id, 2 the commit, 3 uploaded at, 4 the state it moves to, 5 the states it may move from,
--       6.. more field/value pairs of the record to set with it (an empty value removes the field)
-- Returns 1 when it is queued (by this call or the one it repeats), 0 when it left those states meanwhile.
local current = stateOf(KEYS[1], ARGV[1])
if not current or not words(ARGV[5])[current] then
  if current and redis.call('HGET', KEYS[2], 'commit') == ARGV[2] then return 1 end
  return 0
end
local fields = {'commit', ARGV[2], 'uploadedAt', ARGV[3]}
for _, value in ipairs(from(6)) do fields[#fields + 1] = value end
move(KEYS[1], KEYS[2], KEYS[5], ARGV[1], current, ARGV[4], fields)
redis.call('ZREM', KEYS[4], ARGV[1])
enqueue(KEYS[3], ARGV[1])
return 1
