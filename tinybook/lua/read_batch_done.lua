-- After a batch of read events is committed to the database: acknowledge its entries, bump the
-- cached counts of what was counted now, and drop the cached counts of what was counted before
-- (a replayed batch: its counts reached the database but maybe never the cache), in one round
-- trip. A counts hash is incremented only if it exists (never a partial hash; a miss is filled
-- whole from the database) and never goes below zero; a dropped one is refilled by its next reader.
-- KEYS[1]: the stream; KEYS[2 .. 1+m]: counts hashes to bump; KEYS[2+m ..]: counts hashes to drop
-- ARGV[1]: consumer group; ARGV[2]: count field; ARGV[3]: number of entry ids n;
-- ARGV[4 .. 3+n]: the entry ids; ARGV[4+n]: m; ARGV[5+n .. 4+n+m]: one delta per hash to bump.
local n = tonumber(ARGV[3])
local m = tonumber(ARGV[4 + n])
for i = 4, 3 + n, 500 do
  redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, i, math.min(i + 499, 3 + n)))
end
for k = 2, 1 + m do
  if redis.call('EXISTS', KEYS[k]) == 1 then
    local v = redis.call('HINCRBY', KEYS[k], ARGV[2], ARGV[4 + n + k - 1])
    if v < 0 then
      redis.call('HSET', KEYS[k], ARGV[2], 0)
    end
  end
end
for k = 2 + m, #KEYS do
  redis.call('DEL', KEYS[k])
end
return n
