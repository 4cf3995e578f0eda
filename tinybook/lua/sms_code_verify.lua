-- Verify an SMS login code: bounded attempts, single use.
-- KEYS[1]  hash of the current code for the phone: {h = code hash, n = verifications tried}
-- ARGV[1]  hash of the code presented
-- ARGV[2]  most verifications allowed per code
-- Returns 1 when the code matched (it is consumed), 0 otherwise (wrong, expired, used or exhausted).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local tried = redis.call('HINCRBY', KEYS[1], 'n', 1)
local max = tonumber(ARGV[2])
if tried > max then
  redis.call('DEL', KEYS[1])
  return 0
end
if redis.call('HGET', KEYS[1], 'h') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
if tried >= max then
  redis.call('DEL', KEYS[1])
end
return 0
