-- Adds a delivery to its target's queue, once: a delivery id already known is left as it is (the events'
-- reader may read an entry again after a restart). A queue never holds more than its most waiting: one more drops
-- the oldest, listed failed and kept as long as an ended delivery, but never the head while a sender's lease on
-- the target runs (that one is being tried). The hashes of those it may drop arrive in KEYS like every other key.
-- KEYS[1] the delivery's hash, KEYS[2] its target's queue, KEYS[3] notification-queue:due,
-- KEYS[4] the project's list of deliveries, KEYS[5] notification-queue:leases (member → '{end, ms}:{token}'),
-- KEYS[6..5+n] the hashes of the n oldest in the queue
-- ARGV[1] the delivery id, ARGV[2] the target's member of due, ARGV[3] now (ms), ARGV[4] how many the project's
-- list keeps, ARGV[5] how many the queue may hold, ARGV[6] seconds a dropped delivery is kept, ARGV[7] the
-- lastError of a dropped delivery, ARGV[8] n, ARGV[9..8+n] the ids of the n oldest in the queue (KEYS[6..]),
-- ARGV[9+n..] the delivery's fields and values
-- Returns 1 when it was added, 0 when it was known, -1 when one to drop was not among the oldest given (the queue
-- moved since they were read: nothing was changed).
if redis.call('exists', KEYS[1]) == 1 then
  return 0
end
local given = tonumber(ARGV[8])
local hashOf = {[ARGV[1]] = 1}
for i = 1, given do
  hashOf[ARGV[8 + i]] = 5 + i
end
local excess = redis.call('llen', KEYS[2]) + 1 - tonumber(ARGV[5])
local dropped = {}
local first = 0 -- where the oldest waiting is: 1 while a sender tries the head
if excess > 0 then
  if leaseRuns(redis.call('hget', KEYS[5], ARGV[2]), redisNow()) then
    first = 1
  end
  local ids = redis.call('lrange', KEYS[2], first, first + excess - 1)
  if #ids < excess then
    table.insert(ids, ARGV[1]) -- a queue of one whose head is being tried: the new delivery is the oldest waiting
  end
  for _, id in ipairs(ids) do
    if not hashOf[id] then
      return -1
    end
    dropped[id] = hashOf[id]
  end
end
redis.call('hset', KEYS[1], unpack(ARGV, 9 + given))
redis.call('rpush', KEYS[2], ARGV[1])
for id, key in pairs(dropped) do
  redis.call('lrem', KEYS[2], 1, id)
  if redis.call('exists', KEYS[key]) == 1 then
    redis.call('hset', KEYS[key], 'state', 'failed', 'lastError', ARGV[7], 'nextAttemptAt', '')
    redis.call('expire', KEYS[key], ARGV[6])
  end
end
if excess > 0 and first == 0 then
  -- the head was dropped, waiting out its pause before another try: the next is due now, not after that pause
  redis.call('zadd', KEYS[3], ARGV[3], ARGV[2])
else
  redis.call('zadd', KEYS[3], 'NX', ARGV[3], ARGV[2])
end
redis.call('zadd', KEYS[4], ARGV[3], ARGV[1])
redis.call('zremrangebyrank', KEYS[4], 0, -(tonumber(ARGV[4]) + 1))
return 1
