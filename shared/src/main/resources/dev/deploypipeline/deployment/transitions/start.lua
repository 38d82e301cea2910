-- START: a builder (a queue consumer) took the id. It may take over a build another builder started only while the
-- id is in its own processing list: a builder whose id was reaped meanwhile and taken by another, and whose START
-- lands late (retried after a partition or a long pause), takes nothing back, and the id stays in the list of the
-- builder that holds it, where the reaper finds it should that one die too.
-- KEYS: 1 status hash, 2 the record, 3 deployment-events, 4 the builder's processing list
-- ARGV: 1 id, 2 the state it moves to (building), 3 the states it may move from (comma-separated), 4 the builder,
-- 5 now
-- Returns {1, the state it was in} when it moved, {0, the state it is in, or ''} when it did not.
local current = stateOf(KEYS[1], ARGV[1])
if not current then return {0, ''} end
if not words(ARGV[3])[current] then return {0, current} end
if current == ARGV[2] and redis.call('HGET', KEYS[2], 'builtBy') ~= ARGV[4]
    and not redis.call('LPOS', KEYS[4], ARGV[1]) then
  return {0, current}
end
move(KEYS[1], KEYS[2], KEYS[3], ARGV[1], current, ARGV[2], {'buildStartedAt', ARGV[5], 'builtBy', ARGV[4]})
return {1, current}
