-- Purges one deployment's records, in one step, unless it has not ended or a site serves it: its state, its record,
-- its place in every deployment and in its project's history, its live log and its dead letter. It is remembered
-- as purged (for the 410 of the API) and as pending until its objects in S3 are removed too.
-- KEYS: 1 status hash, 2 its record, 3 every deployment (sorted set), 4 purged (sorted set), 5 purge pending (set),
--       6 its build log stream, 7 dead letters (list), 8 aliases (hash), 9 the project's history (sorted set), only
--       for a project's deployment
-- ARGV: 1 id, 2 now (ms), 3 the words of the final states, comma-separated
-- Returns 1 when purged, 0 when there is no such deployment, -1 when it has not ended, -2 when a site serves it.
local state = redis.call('HGET', KEYS[1], ARGV[1])
if not state then return 0 end
local final = false
for word in string.gmatch(ARGV[3], '[^,]+') do
  if word == state then final = true end
end
if not final then return -1 end
for _, served in ipairs(redis.call('HVALS', KEYS[8])) do
  if served == ARGV[1] then return -2 end
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[6])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('LREM', KEYS[7], 0, ARGV[1])
if #KEYS >= 9 then redis.call('ZREM', KEYS[9], ARGV[1]) end
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[5], ARGV[1])
return 1
