-- Read-only: how many due times the delayed schedule holds, and the earliest one.
-- KEYS[1] delayed_queue_schedule
-- Returns {count, earliest score or ""}
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return { redis.call('ZCARD', KEYS[1]), first[2] or '' }
