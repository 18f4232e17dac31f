-- wrk script for every bench load. Environment:
--   BENCH_KIND     get | raw | service | api | search
--   BENCH_PATH     request path (search: with its query string; a random check-in is appended)
--   BENCH_SLOTS    "room_type_id:check_in:check_out,..." the booking slots (raw, service, api)
--   BENCH_NIGHTS   nights per booking (raw, service, api); search: nights searched
--   BENCH_PROPERTY, BENCH_PLAN, BENCH_CUSTOMERS ("id,id,...")  for service and api bodies
--   BENCH_TOKEN, BENCH_SLUG  partner API key and the property's slug (api)
--   BENCH_PREFIX   makes keys unique across runs
-- Prints one line "BENCHJSON {...}" with counts by status class and latency percentiles (us).

local kind = os.getenv("BENCH_KIND") or "get"
local path = os.getenv("BENCH_PATH") or "/"
local nights = tonumber(os.getenv("BENCH_NIGHTS") or "2")
local prefix = os.getenv("BENCH_PREFIX") or tostring(os.time())
local property = os.getenv("BENCH_PROPERTY") or "0"
local plan = os.getenv("BENCH_PLAN") or "0"
local token = os.getenv("BENCH_TOKEN") or ""
local slug = os.getenv("BENCH_SLUG") or ""

local slots = {}
for rt, day, out in string.gmatch(os.getenv("BENCH_SLOTS") or "", "(%d+):([%d-]+):([%d-]+)") do
  slots[#slots + 1] = { rt, day, out }
end
local customers = {}
for id in string.gmatch(os.getenv("BENCH_CUSTOMERS") or "", "(%d+)") do
  customers[#customers + 1] = id
end

local threads = {}
-- TLS ends at the load balancer in production; it tells Django so, as here.
wrk.headers["X-Forwarded-Proto"] = "https"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid)
  counter, ok, refused, server_errors, other = 0, 0, 0, 0, 0
end

local function api_body(key)
  -- a direct booking: the guest is one of the seeded profiles, found again by email
  local slot = slots[math.random(#slots)]
  return string.format(
    '{"property":"%s","check_in":"%s","check_out":"%s","rooms":[{"room_type_id":%s,"rate_plan_id":%s,"adults":2}],'
      .. '"guest":{"email":"guest%d@bench.example","first_name":"Bench","last_name":"Guest"},"partner_reference":"%s"}',
    slug, slot[2], slot[3], slot[1], plan, math.random(0, 199), key)
end

local function booking_body(key)
  local slot = slots[math.random(#slots)]
  local customer = customers[math.random(math.max(#customers, 1))] or "0"
  return string.format(
    '{"key":"%s","room_type_id":%s,"check_in":"%s","nights":%d,"property_id":%s,"rate_plan_id":%s,'
      .. '"customer_id":%s,"adults":2}',
    key, slot[1], slot[2], nights, property, plan, customer)
end

function request()
  counter = counter + 1
  local key = prefix .. "-" .. tid .. "-" .. counter
  if kind == "get" then
    return wrk.format("GET", path)
  elseif kind == "search" then
    local check_in = os.date("!%Y-%m-%d", os.time() + math.random(1, 300) * 86400)
    return wrk.format("GET", path .. "&check_in=" .. check_in)
  end
  local headers = { ["Content-Type"] = "application/json", ["X-Forwarded-Proto"] = "https" }
  if kind == "api" then
    headers["Authorization"] = "Api-Key " .. token
    headers["Idempotency-Key"] = key
    return wrk.format("POST", path, headers, api_body(key))
  end
  return wrk.format("POST", path, headers, booking_body(key))
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local totals = { ok = 0, refused = 0, server_errors = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"ok":%d,"refused":%d,"server_errors":%d,"other":%d,'
      .. '"socket_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, totals.ok, totals.refused, totals.server_errors, totals.other,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
