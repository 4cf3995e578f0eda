-- Add articles to one reader's feed inbox (a sorted set of article ids scored by publication
-- time in ms) and keep only the newest ARGV[1]. Two marker members scored +inf: "built" (the
-- inbox exists; absent means "rebuild from the database") and "trimmed" (older articles were
-- dropped, so below its oldest member the inbox cannot vouch for completeness).
-- KEYS[1]: the inbox
-- ARGV[1]: size; ARGV[2]: ttl (seconds); ARGV[3]: "1" to create a missing inbox;
-- ARGV[4]: "1" to mark it trimmed; ARGV[5..]: score, member pairs
-- Returns 1 when written, 0 when the inbox was not built (nothing written).
local k = KEYS[1]
if ARGV[3] ~= '1' and not redis.call('ZSCORE', k, 'built') then
  return 0
end
redis.call('ZADD', k, '+inf', 'built')
if ARGV[4] == '1' then
  redis.call('ZADD', k, '+inf', 'trimmed')
end
for i = 5, #ARGV, 2 do
  redis.call('ZADD', k, ARGV[i], ARGV[i + 1])
end
local marks = 1
if redis.call('ZSCORE', k, 'trimmed') then marks = 2 end
local over = redis.call('ZCARD', k) - marks - tonumber(ARGV[1])
if over > 0 then
  redis.call('ZREMRANGEBYRANK', k, 0, over - 1)
  redis.call('ZADD', k, '+inf', 'trimmed')
end
redis.call('EXPIRE', k, ARGV[2])
return 1
