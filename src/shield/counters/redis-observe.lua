-- One request of the shield, in one round trip: add members to their minute and hour
-- buckets, count windows, add to hourly totals. Called by RedisDistinctCounter.
--
-- ARGV: namespace, now (ms), minute key TTL, hour key TTL, hourly total TTL,
--       #adds, then key, member, grain ('minute' or 'hour': only that bucket; '': both),
--         due per add,
--       #reads, then key, window (ms) per read,
--       #totals, then key, increment, due per total,
--       then the request in flight: token, its lapse (ms), #keys entered, then key and due
--       for each, #keys left, then each.
-- `due` ('1' or '0'): whether the calling instance has not yet, this minute, given the key's
-- current buckets their expiry (or swept its requests in flight). Each redis.call costs
-- about a microsecond of its own, more than most commands here: an expiry is set once per
-- bucket and instance, not at every addition.
-- Returns one count per read, in order, then the requests in flight under each key entered.
--
-- A window is the union of the buckets it overlaps, the current one included, merged once
-- (PFMERGE) into a key named by its first and last bucket when the window moves to a new
-- bucket. Each key lists its live unions (a sorted set scored by their expiry, so that a
-- dead one is skipped without asking for it); a member added to a bucket one covers is
-- added to it too, so a count is one PFCOUNT of one key (Redis keeps its cardinality until
-- it changes) rather than a merge of two 16 K-register sketches at every read. A member an
-- instance adds late (its clock a little behind) goes to every union covering its bucket.
-- A member already in its bucket is in every union covering it: nothing else is touched.
-- A bucket lives a fixed time past its end (its TTL counted from the caller's clock).

local ns = ARGV[1]
local now = tonumber(ARGV[2])
local minuteTtl, hourTtl, totalTtl = ARGV[3], ARGV[4], ARGV[5]
local MINUTE, HOUR = 60000, 3600000
local minute, hour = math.floor(now / MINUTE), math.floor(now / HOUR)

-- Bucket numbers are whole and below 1e14: tostring writes them as integers. Writing a
-- number is a printf in Lua: the current buckets' names are written once.
local current = { m = { [minute] = tostring(minute) }, h = { [hour] = tostring(hour) } }
local function bucket(prefix, unit, b)
  return prefix .. unit .. ':' .. (current[unit][b] or tostring(b))
end

local function union(prefix, unit, first, last)
  return prefix .. unit .. 'w:' .. tostring(first) .. '-' .. tostring(last)
end

-- Each key's live unions: a sorted set of 'unit first last', scored by when the union expires.
local function unions(prefix)
  return prefix .. 'unions'
end

-- Each key's live unions, read once per call (a key added to by the minute and the hour).
local live = {}
local function liveUnions(prefix)
  if live[prefix] == nil then live[prefix] = redis.call('ZRANGEBYSCORE', unions(prefix), now, '+inf') end
  return live[prefix]
end

-- The member goes to the live unions covering its bucket of `unit`.
local function addToUnions(prefix, unit, member, b)
  for _, entry in ipairs(liveUnions(prefix)) do
    local u, first, last = string.match(entry, '^(%a) (%-?%d+) (%-?%d+)$')
    if u == unit then
      first, last = tonumber(first), tonumber(last)
      if b >= first and b <= last then redis.call('PFADD', union(prefix, unit, first, last), member) end
    end
  end
end

-- A bucket's HyperLogLog unchanged by the member means every union covering it (a
-- superset of its registers) is unchanged too: nothing more to do for that unit.
local function addTo(prefix, unit, b, width, ttl, member, due)
  local key = bucket(prefix, unit, b)
  if redis.call('PFADD', key, member) == 0 then return end
  if due then redis.call('PEXPIRE', key, (b + 1) * width + ttl - now) end
  addToUnions(prefix, unit, member, b)
end

local i = 6
local adds = tonumber(ARGV[i])
for _ = 1, adds do
  local key, member, grain, due = ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4] == '1'
  local prefix = ns .. ':{' .. key .. '}:'
  if grain ~= 'hour' then addTo(prefix, 'm', minute, MINUTE, minuteTtl, member, due) end
  if grain ~= 'minute' then addTo(prefix, 'h', hour, HOUR, hourTtl, member, due) end
  i = i + 4
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
  local prefix = ns .. ':{' .. key .. '}:'
  local counted = bucket(prefix, unit, last)
  if first < last then counted = union(prefix, unit, first, last) end
  local count = redis.call('PFCOUNT', counted)
  -- Nothing counted: the union may not be made yet (a count of 0 from a missing key).
  if count == 0 and first < last and redis.call('EXISTS', counted) == 0 then
    local sources = {}
    for b = first, last do sources[#sources + 1] = bucket(prefix, unit, b) end
    redis.call('PFMERGE', counted, unpack(sources))
    -- Alive past its last bucket: a member added late still finds it.
    redis.call('PEXPIRE', counted, 2 * width)
    local list = unions(prefix)
    redis.call('ZREMRANGEBYSCORE', list, '-inf', now)
    redis.call('ZADD', list, now + 2 * width, unit .. ' ' .. tostring(first) .. ' ' .. tostring(last))
    redis.call('PEXPIRE', list, 2 * HOUR)
    count = redis.call('PFCOUNT', counted)
  end
  counts[r] = count
  i = i + 2
end

i = i + 1
local totals = tonumber(ARGV[i])
for _ = 1, totals do
  local key = ns .. ':hourly:{' .. ARGV[i + 1] .. '}:' .. string.format('%d', math.floor(now / HOUR))
  redis.call('INCRBY', key, ARGV[i + 2])
  if ARGV[i + 3] == '1' then redis.call('PEXPIRE', key, (hour + 1) * HOUR + totalTtl - now) end
  i = i + 3
end

-- Requests in flight: every instance's under a key are one sorted set, each token scored
-- by when it lapses; only those not lapsed count (a crashed instance's entry lapses by
-- itself). Once a minute each instance sweeps what lapsed and extends the set's life past
-- the longest lapse of that minute; a member scored +inf, never counted, keeps the set from
-- being emptied (Redis would delete it, and the next entry would make it again without its
-- expiry) between two sweeps.
i = i + 1
local token, lapse = ARGV[i], tonumber(ARGV[i + 1])
i = i + 2
local entering = tonumber(ARGV[i])
local lapsesAt, notLapsed = string.format('%d', now + lapse), '(' .. ARGV[2]
for _ = 1, entering do
  local set = ns .. ':inflight:' .. ARGV[i + 1]
  if ARGV[i + 2] == '1' then
    redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
    redis.call('ZADD', set, '+inf', '')
    redis.call('PEXPIRE', set, lapse + MINUTE)
  end
  redis.call('ZADD', set, lapsesAt, token)
  counts[#counts + 1] = redis.call('ZCOUNT', set, notLapsed, '(+inf')
  i = i + 2
end
i = i + 1
local leaving = tonumber(ARGV[i])
for _ = 1, leaving do
  redis.call('ZREM', ns .. ':inflight:' .. ARGV[i + 1], token)
  i = i + 1
end

return counts
