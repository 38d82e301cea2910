-- Records a try of the delivery at the head of its target's queue. A final one (delivered, or given up on) leaves
-- the queue and expires later; the target is then due at once for its next delivery, or after the pause for
-- another try of this one, and leaves notification-queue:due when nothing waits.
-- The sender's lease on the target ends with it, unless the lease is another's by now.
-- KEYS[1] the target's queue, KEYS[2] notification-queue:due, KEYS[3] the delivery's hash,
-- KEYS[4] notification-queue:leases
-- ARGV[1] the target's member, ARGV[2] the delivery id (empty: only settle the target's place in due),
-- ARGV[3] '1' when final, ARGV[4] now (ms), ARGV[5] when to try again (ms), ARGV[6] seconds a final delivery is
-- kept, ARGV[7] the token of the sender's claim, ARGV[8..] fields and values to set
-- Returns 1, or 0 when the delivery is not at the head (any more).
local held = redis.call('hget', KEYS[4], ARGV[1])
if held and string.match(held, ':(.*)$') == ARGV[7] then
  redis.call('hdel', KEYS[4], ARGV[1])
end
local next = ARGV[5]
if ARGV[2] ~= '' then
  if redis.call('lindex', KEYS[1], 0) ~= ARGV[2] then
    return 0
  end
  if #ARGV >= 8 and redis.call('exists', KEYS[3]) == 1 then
    redis.call('hset', KEYS[3], unpack(ARGV, 8))
  end
  if ARGV[3] == '1' then
    redis.call('lpop', KEYS[1])
    redis.call('expire', KEYS[3], ARGV[6])
    next = ARGV[4]
  end
end
if redis.call('llen', KEYS[1]) > 0 then
  redis.call('zadd', KEYS[2], next, ARGV[1])
else
  redis.call('zrem', KEYS[2], ARGV[1])
end
return 1
