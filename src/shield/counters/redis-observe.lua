-- One request of the shield, in one round trip: add members to their minute and hour
-- buckets, count windows, add to hourly totals. Called by RedisDistinctCounter.
--
-- ARGV: namespace, now (ms), minute key TTL, hour key TTL, hourly total TTL,
--       #adds, then key, member, grain per add ('minute' or 'hour': only that bucket; '': both),
--       #reads, then key, window (ms) per read,
--       #totals, then key, increment per total,
--       then the request in flight: token, its lapse (ms), #keys entered, then each,
--       #keys left, then each.
-- Returns one count per read, in order, then the requests in flight under each key entered.
--
-- A window is the union of the buckets it overlaps, the current one included, merged once
-- (PFMERGE) into a key named by its first and last bucket when the window moves to a new
-- bucket. Each key lists its live unions (a set); a member added to a bucket one covers is
-- added to it too, so a count is one PFCOUNT of one key (Redis keeps its cardinality until
-- it changes) rather than a merge of two 16 K-register sketches at every read. A member an
-- instance adds late (its clock a little behind) goes to every union covering its bucket.

local ns = ARGV[1]
local now = tonumber(ARGV[2])
local minuteTtl, hourTtl, totalTtl = ARGV[3], ARGV[4], ARGV[5]
local MINUTE, HOUR = 60000, 3600000

local function name(key, unit, from, to)
  local suffix = to and (string.format('%d', from) .. '-' .. string.format('%d', to)) or string.format('%d', from)
  return ns .. ':{' .. key .. '}:' .. unit .. ':' .. suffix
end

local function live(key)
  return ns .. ':{' .. key .. '}:live'
end

-- The member goes to the live unions covering its bucket; a union its bucket has passed
-- (or that expired) is struck off the list.
local function addToUnions(key, member, minute, hour)
  local list = live(key)
  for _, entry in ipairs(redis.call('SMEMBERS', list)) do
    local unit, first, last = string.match(entry, '^(%a) (%-?%d+) (%-?%d+)$')
    first, last = tonumber(first), tonumber(last)
    local b = unit == 'm' and minute or hour
    local union = name(key, unit .. 'w', first, last)
    if b > last or redis.call('EXISTS', union) == 0 then
      redis.call('SREM', list, entry)
    elseif b >= first then
      redis.call('PFADD', union, member)
    end
  end
end

local i = 6
local adds = tonumber(ARGV[i])
local minute, hour = math.floor(now / MINUTE), math.floor(now / HOUR)
for _ = 1, adds do
  local key, member, grain = ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if grain ~= 'hour' then
    local minuteKey = name(key, 'm', minute)
    redis.call('PFADD', minuteKey, member)
    redis.call('PEXPIRE', minuteKey, minuteTtl)
  end
  if grain ~= 'minute' then
    local hourKey = name(key, 'h', hour)
    redis.call('PFADD', hourKey, member)
    redis.call('PEXPIRE', hourKey, hourTtl)
  end
  addToUnions(key, member, minute, hour)
  i = i + 3
end

local counts = {}
i = i + 1
local reads = tonumber(ARGV[i])
for r = 1, reads do
  local key, window = ARGV[i + 1], tonumber(ARGV[i + 2])
  local unit, width = 'm', MINUTE
  if window > HOUR then unit, width = 'h', HOUR end
  local last = math.floor(now / width)
  local first = math.floor((now - window) / width)
  local counted = name(key, unit, last)
  if first < last then
    counted = name(key, unit .. 'w', first, last)
    if redis.call('EXISTS', counted) == 0 then
      local sources = {}
      for b = first, last do sources[#sources + 1] = name(key, unit, b) end
      redis.call('PFMERGE', counted, unpack(sources))
      -- Alive past its last bucket: a late member can still find it (and strike it off).
      redis.call('PEXPIRE', counted, 2 * width)
      redis.call('SADD', live(key), unit .. ' ' .. string.format('%d', first) .. ' ' .. string.format('%d', last))
      redis.call('PEXPIRE', live(key), 2 * HOUR)
    end
  end
  counts[r] = redis.call('PFCOUNT', counted)
  i = i + 2
end

i = i + 1
local totals = tonumber(ARGV[i])
for _ = 1, totals do
  local key = ns .. ':hourly:{' .. ARGV[i + 1] .. '}:' .. string.format('%d', math.floor(now / HOUR))
  redis.call('INCRBY', key, ARGV[i + 2])
  redis.call('PEXPIRE', key, totalTtl)
  i = i + 2
end

-- Requests in flight: every instance's under a key are one sorted set, each token scored
-- by when it lapses (a crashed instance's entry lapses by itself).
i = i + 1
local token, lapse = ARGV[i], tonumber(ARGV[i + 1])
i = i + 2
local entering = tonumber(ARGV[i])
for _ = 1, entering do
  local set = ns .. ':inflight:' .. ARGV[i + 1]
  redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
  redis.call('ZADD', set, now + lapse, token)
  counts[#counts + 1] = redis.call('ZCARD', set)
  redis.call('PEXPIRE', set, lapse)
  i = i + 1
end
i = i + 1
local leaving = tonumber(ARGV[i])
for _ = 1, leaving do
  redis.call('ZREM', ns .. ':inflight:' .. ARGV[i + 1], token)
  i = i + 1
end

return counts
