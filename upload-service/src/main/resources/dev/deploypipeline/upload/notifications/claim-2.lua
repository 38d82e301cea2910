-- Claims the target whose next delivery is due soonest among those no sender holds. The hold is a lease in
-- notification-queue:leases, timed by Redis's own clock, so a sender whose clock runs ahead of the holder's still finds
-- it held and one delivery is sent by one sender at a time. Its score in due also moves to the end of the lease, by
-- the sender's clock, so senders pass over it meanwhile; a sender that dies lets the lease lapse.
-- KEYS[1] notification-queue:due, KEYS[2] notification-queue:leases (member → '{end, ms}:{token}')
-- ARGV[1] now (ms, the sender's clock), ARGV[2] the end of the lease (ms, the sender's clock), ARGV[3] the lease (ms),
-- ARGV[4] the claim's token
-- Returns the target's member ({project}:{target}), or nil when none is due and free.
local now = redisNow()
for _, member in ipairs(redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 16)) do
  local held = redis.call('hget', KEYS[2], member)
  if not leaseRuns(held, now) then
    redis.call('hset', KEYS[2], member, string.format('%d', now + tonumber(ARGV[3])) .. ':' .. ARGV[4])
    redis.call('zadd', KEYS[1], ARGV[2], member)
    return member
  end
end
return false
