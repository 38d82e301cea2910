-- Put before the scripts that read notification-queue:leases, where a sender's lease on a target is
-- '{end, ms}:{claim token}', its end timed by Redis's own clock so that senders whose clocks disagree agree on it.

-- Redis's clock, in milliseconds.
local function redisNow()
  local time = redis.call('time')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- Whether a lease (a value of the leases hash, or false for none) still runs at now.
local function leaseRuns(lease, now)
  return lease and tonumber(string.match(lease, '^(%d+):')) > now
end
