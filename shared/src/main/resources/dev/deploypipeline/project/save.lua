-- Creates a project or replaces its settings, in one step, so nobody reads it half written.
-- KEYS: 1 the project's settings (hash), 2 every project (sorted set)
-- ARGV: 1 its name, 2 created at (ms), 3.. field/value pairs
redis.call('DEL', KEYS[1])
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
