-- Saves a deploy hook, found by the SHA-256 of its secret, and lists it under its project, in one step.
-- KEYS: 1 the hook (hash), 2 the project's hooks (hash: id -> SHA-256)
-- ARGV: 1 its id, 2 the SHA-256 of its secret, 3 its project, 4 its name, 5 created at
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'project', ARGV[3], 'name', ARGV[4], 'createdAt', ARGV[5])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
