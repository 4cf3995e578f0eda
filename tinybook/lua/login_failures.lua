-- Failed-login limiter over several sliding windows (per account, per IP).
-- KEYS[1..n]  sorted sets of failures (score = time in ms)
-- ARGV[1]     mode: "check" (is any window full?) or "record" (add one failure to every window)
-- ARGV[2]     now, ms
-- ARGV[3]     window length, ms
-- ARGV[4..]   limit for KEYS[i] is ARGV[3 + i]
-- ARGV[#KEYS + 4]  a unique member for this failure (record mode)
-- Returns 1 when allowed (check: no window full; record: recorded), 0 when a window is full.
local mode = ARGV[1]
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local full = 0
for i, k in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now - window)
  if redis.call('ZCARD', k) >= tonumber(ARGV[3 + i]) then
    full = 1
  end
end
if mode == 'record' then
  local member = ARGV[#KEYS + 4]
  for _, k in ipairs(KEYS) do
    redis.call('ZADD', k, now, member)
    redis.call('PEXPIRE', k, window)
  end
  return 1
end
if full == 1 then
  return 0
end
return 1
