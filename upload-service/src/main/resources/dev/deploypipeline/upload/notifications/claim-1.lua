-- Claims the target whose next delivery is due soonest, if one is due: its score moves to the end of a lease, so
-- no other sender takes it meanwhile, and a sender that dies lets it come due again when the lease ends.
-- KEYS[1] notification-queue:due
-- ARGV[1] now (ms), ARGV[2] the end of the lease (ms)
-- Returns the target's member ({project}:{target}), or nil when none is due.
local due = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then
  return false
end
redis.call('zadd', KEYS[1], ARGV[2], due[1])
return due[1]
