-- Push one article into many readers' feed inboxes (see feed_inbox_add.lua for the shape).
-- Only inboxes that exist are written: a missing one is rebuilt from the database when its
-- reader comes, and a partial one must never pass for built. A full inbox does not take an
-- article older than all it keeps (that would leave a hole above it): it is marked trimmed.
-- KEYS: the inboxes
-- ARGV[1]: size; ARGV[2]: score (ms); ARGV[3]: article id
-- Returns how many inboxes took the article.
local size = tonumber(ARGV[1])
local score = tonumber(ARGV[2])
local pushed = 0
for _, k in ipairs(KEYS) do
  if redis.call('ZSCORE', k, 'built') then
    local marks = 1
    if redis.call('ZSCORE', k, 'trimmed') then marks = 2 end
    local kept = redis.call('ZCARD', k) - marks
    local lowest = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')
    if kept >= size and score < tonumber(lowest[2]) then
      redis.call('ZADD', k, '+inf', 'trimmed')
    else
      redis.call('ZADD', k, score, ARGV[3])
      local over = redis.call('ZCARD', k) - marks - size
      if over > 0 then
        redis.call('ZREMRANGEBYRANK', k, 0, over - 1)
        redis.call('ZADD', k, '+inf', 'trimmed')
      end
      pushed = pushed + 1
    end
  end
end
return pushed
