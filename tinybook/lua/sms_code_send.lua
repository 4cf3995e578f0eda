-- Issue an SMS login code, atomically with every send limit.
-- KEYS[1]  hash of the current code for the phone: {h = code hash, n = verifications tried}
-- KEYS[2]  resend lock for the phone (exists while a new send is too soon)
-- KEYS[3]  sorted set of sends from the client IP (score = time in ms)
-- KEYS[4]  sorted set of sends to the phone (score = time in ms)
-- ARGV[1]  now, ms
-- ARGV[2]  code hash
-- ARGV[3]  code lifetime, ms
-- ARGV[4]  resend interval, ms
-- ARGV[5]  sends allowed per IP window;    ARGV[6] IP window, ms
-- ARGV[7]  sends allowed per phone window; ARGV[8] phone window, ms
-- ARGV[9]  a unique member for this send
-- Returns 1 sent, -1 too soon for this phone, -2 IP limit reached, -3 phone daily limit reached.
local now = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  return -1
end
local ip_window = tonumber(ARGV[6])
local phone_window = tonumber(ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - ip_window)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then
  return -2
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - phone_window)
if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[7]) then
  return -3
end
redis.call('ZADD', KEYS[3], now, ARGV[9])
redis.call('PEXPIRE', KEYS[3], ip_window)
redis.call('ZADD', KEYS[4], now, ARGV[9])
redis.call('PEXPIRE', KEYS[4], phone_window)
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', tonumber(ARGV[4]))
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[2], 'n', 0)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
