-- SMS provider health: record one outcome and judge the provider over a sliding window.
-- KEYS[1]  hash of per-second counters: "<sec>:n" samples, "<sec>:e" errors, "<sec>:s" slow
-- KEYS[2]  down flag (string: ms since epoch it went down); absent = up
-- KEYS[3]  probe slot (set when the provider goes down: the first probe waits an interval)
-- ARGV[1]  now, whole seconds
-- ARGV[2]  window length, seconds
-- ARGV[3]  1 when the call failed (error or timeout), else 0
-- ARGV[4]  1 when the call was slower than the latency threshold, else 0
-- ARGV[5]  min samples before judging
-- ARGV[6]  max error rate (0..1)
-- ARGV[7]  most slow samples allowed per sample for the percentile to stay under the
--          threshold, as "allowed slow = n - ceil(percentile * n)"; this is the percentile (0..1)
-- ARGV[8]  1 when this call was a probe of a down provider, else 0
-- ARGV[9]  now, ms (stored as the time the provider went down)
-- ARGV[10] probe interval, ms
-- Returns {state, n, errors, slow}; state 1 up, 0 down, 2 went down now, 3 came back now.
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local is_err = tonumber(ARGV[3])
local is_slow = tonumber(ARGV[4])
local min_samples = tonumber(ARGV[5])
local max_err = tonumber(ARGV[6])
local pct = tonumber(ARGV[7])
local probe = tonumber(ARGV[8])

if probe == 1 then
  if is_err == 0 and is_slow == 0 then
    -- A good probe restores the provider with a clean window: its old bad samples
    -- would otherwise mark it down again on the very next call.
    redis.call('DEL', KEYS[1], KEYS[2])
    return {3, 0, 0, 0}
  end
  if redis.call('EXISTS', KEYS[2]) == 0 then
    redis.call('SET', KEYS[2], ARGV[9])
  end
  return {0, 0, 0, 0}
end

local sec = tostring(now)
redis.call('HINCRBY', KEYS[1], sec .. ':n', 1)
if is_err == 1 then redis.call('HINCRBY', KEYS[1], sec .. ':e', 1) end
if is_slow == 1 then redis.call('HINCRBY', KEYS[1], sec .. ':s', 1) end
redis.call('EXPIRE', KEYS[1], window * 2)

local n, e, s = 0, 0, 0
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  local field = flat[i]
  local colon = string.find(field, ':', 1, true)
  local t = tonumber(string.sub(field, 1, colon - 1))
  if t <= now - window then
    redis.call('HDEL', KEYS[1], field)
  else
    local kind = string.sub(field, colon + 1)
    local v = tonumber(flat[i + 1])
    if kind == 'n' then n = n + v elseif kind == 'e' then e = e + v else s = s + v end
  end
end

local down = redis.call('EXISTS', KEYS[2]) == 1
if n >= min_samples then
  -- Nearest-rank percentile: it exceeds the threshold exactly when more than
  -- n - ceil(pct * n) samples do; no latency list needs to be kept.
  local allowed_slow = n - math.ceil(pct * n - 1e-9)
  if e / n > max_err or s > allowed_slow then
    if not down then
      redis.call('SET', KEYS[2], ARGV[9])
      redis.call('SET', KEYS[3], '1', 'PX', ARGV[10])
      return {2, n, e, s}
    end
    return {0, n, e, s}
  end
end
if down then return {0, n, e, s} end
return {1, n, e, s}
