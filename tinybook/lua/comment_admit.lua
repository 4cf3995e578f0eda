-- Admit one comment: the per-user rate limit and the duplicate refusal in one round trip.
-- KEYS[1]  sorted set of the user's recent comments (score = time in ms)
-- KEYS[2]  duplicate key of (user, object, text)
-- ARGV[1]  now, ms
-- ARGV[2]  rate window, ms
-- ARGV[3]  limit: most comments in the window (0: no limit)
-- ARGV[4]  a unique member for this comment
-- ARGV[5]  duplicate window, seconds (0: no duplicate refusal)
-- Returns 1 admitted (both recorded), 0 over the rate, 2 a duplicate (nothing recorded).
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local dup_ttl = tonumber(ARGV[5])
if dup_ttl > 0 and redis.call('EXISTS', KEYS[2]) == 1 then
  return 2
end
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  if redis.call('ZCARD', KEYS[1]) >= limit then
    return 0
  end
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
end
if dup_ttl > 0 then
  redis.call('SET', KEYS[2], '1', 'EX', dup_ttl)
end
return 1
