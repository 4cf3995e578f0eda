-- Write an object's comments cache entry unless a newer one is there.
-- KEYS[1]  the hash (kv.comment_page_key): v, cnt, page
-- ARGV[1]  version of the counter row the values were read at (or written with)
-- ARGV[2]  visible-comment count at that version
-- ARGV[3]  the first page as JSON, or "" for none (a writer: readers fill it from the database)
-- ARGV[4]  lifetime, seconds
-- A writer after its commit puts (its version, its count, ""); a reader after a miss puts what
-- it read from the database with the version it read first. Older never replaces newer, and a
-- page is never dropped for "" of the same version, so no order of these calls leaves a stale page.
-- Returns 1 when written, 0 when the entry there was as new or newer.
local cur = redis.call('HGET', KEYS[1], 'v')
local v = tonumber(ARGV[1])
if cur then
  cur = tonumber(cur)
  if cur > v or (cur == v and ARGV[3] == '') then
    return 0
  end
end
redis.call('DEL', KEYS[1])
if ARGV[3] == '' then
  redis.call('HSET', KEYS[1], 'v', ARGV[1], 'cnt', ARGV[2])
else
  redis.call('HSET', KEYS[1], 'v', ARGV[1], 'cnt', ARGV[2], 'page', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
