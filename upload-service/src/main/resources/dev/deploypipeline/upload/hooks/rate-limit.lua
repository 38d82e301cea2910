-- Counts one call of a deploy hook in its rate limit's window, which starts at the window's first call.
-- KEYS: 1 the hook's counter (string with a TTL)
-- ARGV: 1 the calls allowed in a window, 2 the window (ms)
-- Returns {1, 0} when the call is allowed, {0, ms until the window ends} when it is over the limit.
local calls = redis.call('INCR', KEYS[1])
if calls == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if calls <= tonumber(ARGV[1]) then return {1, 0} end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  left = tonumber(ARGV[2])
end
return {0, left}
