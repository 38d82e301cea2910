-- Claims a project's due run for one upload-service: moves its next run on, unless another claimed it first.
-- KEYS: 1 schedules (sorted set), 2 the project's schedule (hash)
-- ARGV: 1 the project's name, 2 the next run as it was read (ms), 3 now (ms), 4 its next run after now (ms)
-- Returns 1 when this caller claimed the run, 0 when it was not due or claimed already.
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due or tonumber(due) ~= tonumber(ARGV[2]) or tonumber(due) > tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[2], 'lastRunAt', ARGV[3])
return 1
