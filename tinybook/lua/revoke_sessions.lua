-- Revoke every live login session (ssid) of one user.
-- KEYS[1]  sorted set of the user's ssids, score = expiry (epoch seconds)
-- ARGV[1]  now, epoch seconds
-- ARGV[2]  prefix of revocation keys ("<prefix>:ssid:revoked:")
-- ARGV[3]  how long a revocation is remembered, seconds (the refresh lifetime)
-- Returns the number of sessions revoked.
local now = tonumber(ARGV[1])
local live = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')
for _, ssid in ipairs(live) do
  redis.call('SET', ARGV[2] .. ssid, '1', 'EX', ARGV[3])
end
redis.call('DEL', KEYS[1])
return #live
