-- Extend a lock only if we still hold it (compare-and-PEXPIRE).
-- KEYS[1]: the lock key
-- ARGV[1]: our token; ARGV[2]: new lifetime in milliseconds
-- Returns 1 when extended, 0 when the lock is gone or someone else's.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
