-- Adds a delivery to its target's queue, once: a delivery id already known is left as it is (the events'
-- reader may read an entry again after a restart).
-- KEYS[1] the delivery's hash, KEYS[2] its target's queue, KEYS[3] notification-queue:due,
-- KEYS[4] the project's list of deliveries
-- ARGV[1] the delivery id, ARGV[2] the target's member of due, ARGV[3] now (ms), ARGV[4] how many the project's
-- list keeps, ARGV[5..] the delivery's fields and values
-- Returns 1 when it was added, 0 when it was known.
if redis.call('exists', KEYS[1]) == 1 then
  return 0
end
redis.call('hset', KEYS[1], unpack(ARGV, 5))
redis.call('rpush', KEYS[2], ARGV[1])
redis.call('zadd', KEYS[3], 'NX', ARGV[3], ARGV[2])
redis.call('zadd', KEYS[4], ARGV[3], ARGV[1])
redis.call('zremrangebyrank', KEYS[4], 0, -(tonumber(ARGV[4]) + 1))
return 1
