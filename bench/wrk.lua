-- wrk script for `make bench`: rotates over the pages (BENCH_PATHS, comma-separated) and the
-- signed-in sessions (BENCH_COOKIES, "|"-separated Cookie headers), counts every answer that is
-- not a 200 as an error, and prints one JSON line with the figures.
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^,]+") do paths[#paths + 1] = p end
local cookies = {}
for c in string.gmatch(os.getenv("BENCH_COOKIES") or "", "[^|]+") do cookies[#cookies + 1] = c end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  n = id
  non200 = 0
end

function request()
  n = n + 1
  local headers = {}
  if #cookies > 0 then
    headers["Cookie"] = cookies[(math.floor(n / #paths) % #cookies) + 1]
  end
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non200") end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "non200": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, bad, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
