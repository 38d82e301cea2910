-- Put before promote.lua and promote-preview.lua: how a site or a preview moves forward.

-- Points the alias `name` at the deployment `id` of the history, unless it serves one created as late or later
-- already; announces the move on the aliases channel and tells it on deployment-events as a site move (promoted,
-- not pinned). Returns 1 when the alias moved, 0 when it did not.
local function moveForward(aliases, history, events, name, id, channel, project, deployed)
  local candidate = redis.call('ZSCORE', history, id)
  if not candidate then return 0 end
  local current = redis.call('HGET', aliases, name)
  if current then
    local currentScore = redis.call('ZSCORE', history, current)
    if currentScore and tonumber(currentScore) >= tonumber(candidate) then return 0 end
  end
  redis.call('HSET', aliases, name, id)
  redis.call('PUBLISH', channel, name)
  redis.call('XADD', events, 'MAXLEN', '~', '10000', '*', 'id', id, 'state', deployed, 'previous', deployed,
    'project', project, 'move', 'promoted', 'site', name, 'pinned', 'false')
  return 1
end
