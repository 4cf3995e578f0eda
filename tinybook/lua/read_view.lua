-- A reader opens a live object: record the read (once per viewer within the window) and
-- return the cached counts, in one round trip.
-- KEYS[1]: the viewer's seen-marker; KEYS[2]: the read-event stream; KEYS[3]: the counts hash;
-- KEYS[4] (optional): a guard, the object's cached copy: the read is recorded only when it
-- holds a value other than ARGV[7] (a tombstone), and that value is returned too.
-- ARGV[1]: dedup window in seconds (0: every open counts); ARGV[2]: '1' to append the event to
-- the stream, '0' when the caller applies it itself (embedded profile); ARGV[3]: stream maxlen
-- (approximate); ARGV[4]: biz; ARGV[5]: biz id; ARGV[6]: the reader's trace context (W3C
-- traceparent, '' when tracing is off), kept in the entry as 'tp'; ARGV[7] (with KEYS[4]): the
-- tombstone
-- KEYS[5] (optional, with KEYS[4]): a hash another app keeps for the object, whose field ARGV[8]
-- is returned too (the article page's comment count): one round trip for the whole page.
-- Returns {fresh (1 when this open counts), read_cnt, like_cnt, collect_cnt[, copy[, extra]]} (counts
-- may be nil: the hash is absent and must be filled from the database), or {-1, guard value}
-- when the guard is missing or a tombstone: nothing was recorded.
local copy
if KEYS[4] then
  copy = redis.call('GET', KEYS[4])
  if not copy or copy == ARGV[7] then
    return {-1, copy}
  end
end
local fresh = 1
if tonumber(ARGV[1]) > 0 then
  if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
    fresh = 0
  end
end
if fresh == 1 and ARGV[2] == '1' then
  if ARGV[6] == '' then
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'biz', ARGV[4], 'id', ARGV[5])
  else
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'biz', ARGV[4], 'id', ARGV[5], 'tp', ARGV[6])
  end
end
local counts = redis.call('HMGET', KEYS[3], 'read_cnt', 'like_cnt', 'collect_cnt')
local extra
if KEYS[5] then
  extra = redis.call('HGET', KEYS[5], ARGV[8])
end
return {fresh, counts[1], counts[2], counts[3], copy, extra}
