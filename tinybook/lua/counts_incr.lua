-- Increment one count of a cached counts hash, only if the hash exists (never create a
-- partial hash: a miss is filled whole from the database). Never goes below zero.
-- With a second key, the object's score in that ranking (a sorted set) moves by the same
-- delta in the same call, whether the hash is there or not: a like's cache and ranking
-- updates are one round trip (a script inside a redis-py pipeline costs a SCRIPT EXISTS
-- round trip more).
-- KEYS[1]: the counts hash; KEYS[2] (optional): the ranking
-- ARGV[1]: field (read_cnt, like_cnt, collect_cnt); ARGV[2]: delta (integer, may be negative)
-- ARGV[3] (with KEYS[2]): the object's member in the ranking
-- Returns 1 when the hash was incremented, 0 when it is absent.
if KEYS[2] then
  redis.call('ZINCRBY', KEYS[2], ARGV[2], ARGV[3])
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local v = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if v < 0 then
  redis.call('HSET', KEYS[1], ARGV[1], 0)
end
return 1
