-- One request of the shield, in one round trip: add members to their minute and hour
-- buckets, count windows, add to hourly totals. Called by RedisDistinctCounter.
--
-- ARGV: namespace, now (ms), minute key TTL, hour key TTL, hourly total TTL,
--       #adds, then key, member per add,
--       #reads, then key, window (ms) per read,
--       #totals, then key, increment per total.
-- Returns one count per read, in order.
--
-- A window is the union of the finished buckets it overlaps and the current one. The
-- finished buckets no longer change, so their union is merged once (PFMERGE) into a key
-- named by its first and last bucket and reused until the window moves: a count then
-- merges two sketches, not 25 or 61. A member that another instance, its clock a few
-- milliseconds behind, adds to a bucket after that union was made is missing from it for
-- at most one bucket (a minute, or an hour for day windows).

local ns = ARGV[1]
local now = tonumber(ARGV[2])
local minuteTtl, hourTtl, totalTtl = ARGV[3], ARGV[4], ARGV[5]
local MINUTE, HOUR = 60000, 3600000

local function name(key, unit, from, to)
  local suffix = to and (string.format('%d', from) .. '-' .. string.format('%d', to)) or string.format('%d', from)
  return ns .. ':{' .. key .. '}:' .. unit .. ':' .. suffix
end

local i = 6
local adds = tonumber(ARGV[i])
for _ = 1, adds do
  local key, member = ARGV[i + 1], ARGV[i + 2]
  local minuteKey = name(key, 'm', math.floor(now / MINUTE))
  local hourKey = name(key, 'h', math.floor(now / HOUR))
  redis.call('PFADD', minuteKey, member)
  redis.call('PEXPIRE', minuteKey, minuteTtl)
  redis.call('PFADD', hourKey, member)
  redis.call('PEXPIRE', hourKey, hourTtl)
  i = i + 2
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
  local sketches = { name(key, unit, last) }
  if first == last - 1 then
    sketches[2] = name(key, unit, first)
  elseif first < last - 1 then
    local union = name(key, unit .. 'u', first, last - 1)
    if redis.call('EXISTS', union) == 0 then
      local sources = {}
      for b = first, last - 1 do sources[#sources + 1] = name(key, unit, b) end
      redis.call('PFMERGE', union, unpack(sources))
      redis.call('PEXPIRE', union, 2 * width)
    end
    sketches[2] = union
  end
  counts[r] = redis.call('PFCOUNT', unpack(sketches))
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

return counts
