-- After a batch of read events is committed to the database: acknowledge its entries and bump
-- the cached counts, in one round trip. Each counts hash is incremented only if it exists
-- (never a partial hash; a miss is filled whole from the database) and never goes below zero.
-- KEYS[1]: the stream; KEYS[2..]: the counts hashes
-- ARGV[1]: consumer group; ARGV[2]: count field; ARGV[3]: number of entry ids n;
-- ARGV[4 .. 3+n]: the entry ids; ARGV[4+n ..]: one delta per counts hash, in KEYS order.
local n = tonumber(ARGV[3])
for i = 4, 3 + n, 500 do
  redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, i, math.min(i + 499, 3 + n)))
end
for k = 2, #KEYS do
  if redis.call('EXISTS', KEYS[k]) == 1 then
    local v = redis.call('HINCRBY', KEYS[k], ARGV[2], ARGV[3 + n + k - 1])
    if v < 0 then
      redis.call('HSET', KEYS[k], ARGV[2], 0)
    end
  end
end
return n
