-- Put before every transition script: how a deployment's state is read and written, and how it is queued.
-- The scripts hold no state word of their own: the Java side passes them from DeploymentState.Move.

-- The deployment's state in the status hash, or false when it has none.
local function stateOf(status, id)
  return redis.call('HGET', status, id)
end

-- The words of a comma-separated list, as a set.
local function words(list)
  local set = {}
  for word in string.gmatch(list, '[^,]+') do set[word] = true end
  return set
end

-- ARGV from position first on, as a list.
local function from(first)
  local rest = {}
  for i = first, #ARGV do rest[#rest + 1] = ARGV[i] end
  return rest
end

-- Sets the state in the status hash and in the record, then each field/value pair (an empty value removes it),
-- and tells the deployment-events stream (id, state, the state before, project), which watchers read.
local function move(status, record, events, id, previous, to, fields)
  redis.call('HSET', status, id, to)
  redis.call('HSET', record, 'status', to)
  redis.call('XADD', events, 'MAXLEN', '~', '10000', '*', 'id', id, 'state', to, 'previous', previous or '',
    'project', redis.call('HGET', record, 'project') or '')
  for i = 1, #fields, 2 do
    if fields[i + 1] == '' then
      redis.call('HDEL', record, fields[i])
    else
      redis.call('HSET', record, fields[i], fields[i + 1])
    end
  end
end

-- The one way into build-queue: behind everything waiting, or (for one handed back) at the end taken next.
local function enqueue(queue, id)
  redis.call('LPUSH', queue, id)
end

local function enqueueNext(queue, id)
  redis.call('RPUSH', queue, id)
end

