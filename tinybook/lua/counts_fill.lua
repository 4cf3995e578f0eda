-- Fill a counts hash from the database, whole, with a lifetime; keeps an existing hash
-- (it may already carry increments newer than what this reader loaded).
-- KEYS[1]: the counts hash
-- ARGV[1]: lifetime in seconds; ARGV[2..]: field, value, field, value, ...
-- Returns 1 when filled, 0 when the hash already existed.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
