-- Counts one call of a deploy hook in its rate limit's sliding window: every call of the last window counts,
-- whenever in it it came, so calls at the end of one window and the start of the next never get twice the limit.
-- Times are Redis's own, one clock for every upload-service. A refused call is not counted.
-- KEYS: 1 the hook's calls (sorted set: each admitted call, scored by its time in ms)
-- ARGV: 1 the calls allowed in a window, 2 the window (ms)
-- Returns {1, 0} when the call is allowed, {0, ms until the window's oldest call leaves it} when it is over the limit.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[2])
-- A counter left by a version that counted fixed windows holds no times: the calls are counted afresh.
if redis.call('TYPE', KEYS[1]).ok ~= 'zset' then redis.call('DEL', KEYS[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(oldest[2]) + window - now)}
end
-- Each call is a member of its own: one in the same millisecond as the newest takes the next.
local at = now
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if #newest > 0 and tonumber(newest[2]) >= at then at = tonumber(newest[2]) + 1 end
redis.call('ZADD', KEYS[1], at, tostring(at))
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0}
