-- Sliding-window limiter: record one hit unless the window is full.
-- KEYS[1]  sorted set of hits (score = time in ms)
-- ARGV[1]  now, ms
-- ARGV[2]  window length, ms
-- ARGV[3]  limit: most hits allowed in the window
-- ARGV[4]  a unique member for this hit
-- Returns 1 when the hit was recorded (allowed), 0 when the window is full.
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1
