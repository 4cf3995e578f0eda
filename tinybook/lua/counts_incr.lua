-- Increment one count of a cached counts hash, only if the hash exists (never create a
-- partial hash: a miss is filled whole from the database). Never goes below zero.
-- KEYS[1]: the counts hash
-- ARGV[1]: field (read_cnt, like_cnt, collect_cnt); ARGV[2]: delta (integer, may be negative)
-- Returns 1 when applied, 0 when the hash is absent.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local v = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if v < 0 then
  redis.call('HSET', KEYS[1], ARGV[1], 0)
end
return 1
