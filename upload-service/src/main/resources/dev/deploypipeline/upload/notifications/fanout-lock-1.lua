-- Takes or renews the lock of the events' reader: one upload-service turns events into deliveries at a time.
-- KEYS[1] notification-fanout:lock
-- ARGV[1] who asks, ARGV[2] how long the lock lasts unless renewed (ms)
-- Returns 1 when the asker holds it now, 0 when another does.
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0
