-- Read an object's comments cache entry, unless the caller already has its version.
-- KEYS[1]  the hash (kv.comment_page_key): v, cnt, page
-- ARGV[1]  the version the caller holds a copy of, or ""
-- Returns {} when there is no entry, {v} when v is the caller's version (its copy is current),
-- else {v, cnt[, page]} (no page: a write took it out, read the database).
local v = redis.call('HGET', KEYS[1], 'v')
if not v then
  return {}
end
if v == ARGV[1] then
  return {v}
end
local rest = redis.call('HMGET', KEYS[1], 'cnt', 'page')
return {v, rest[1], rest[2]}
