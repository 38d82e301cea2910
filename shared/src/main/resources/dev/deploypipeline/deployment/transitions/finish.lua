-- DEPLOY or FAIL_BUILD: only the builder that last started the build may end it, so a reaped build that was in fact
-- still alive cannot mark it deployed, or failed, over the build that took it over. Safe to retry for that builder.
-- KEYS: 1 status hash, 2 the record, 3 deployment-events
-- ARGV: 1 id, 2 the builder, 3 finished at, 4 the state it moves to, 5 the states it may move from,
--       6 the error ('' when it deployed)
-- Returns {1, the state it was in} when it moved (or had moved by this builder), {0, the state it is in, or ''}.
local current = stateOf(KEYS[1], ARGV[1])
local builder = redis.call('HGET', KEYS[2], 'builtBy') or ''
if current == ARGV[4] and builder == ARGV[2] then return {1, ARGV[5]} end
if not current then return {0, ''} end
if not words(ARGV[5])[current] or builder ~= ARGV[2] then return {0, current} end
move(KEYS[1], KEYS[2], KEYS[3], ARGV[1], current, ARGV[4], {'finishedAt', ARGV[3], 'error', ARGV[6]})
return {1, current}
