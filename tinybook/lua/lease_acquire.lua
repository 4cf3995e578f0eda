-- Take or renew a lease: set when free, extend when we already hold it.
-- KEYS[1]: the lease key
-- ARGV[1]: our token; ARGV[2]: lifetime in milliseconds
-- Returns 1 when we hold the lease now, 0 when someone else does.
local cur = redis.call('GET', KEYS[1])
if not cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
