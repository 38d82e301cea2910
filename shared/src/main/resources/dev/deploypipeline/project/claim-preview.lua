-- Claims a preview's label for a branch of the project, unless another branch of it holds the label already or a
-- project is named like it (a project saved before names were kept from holding '--').
-- KEYS: 1 the project's previews (hash: label -> branch), 2 the settings of a project named like the label (hash)
-- ARGV: 1 the label, 2 the branch
-- Returns {1, branch} when the branch holds the label, {0, the branch holding it} or {-1, ''} for a project.
if redis.call('EXISTS', KEYS[2]) == 1 then return {-1, ''} end
local holder = redis.call('HGET', KEYS[1], ARGV[1])
if holder and holder ~= ARGV[2] then return {0, holder} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {1, ARGV[2]}
