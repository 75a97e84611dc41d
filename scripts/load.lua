-- wrk script of scripts/load.sh: random inputs from a file, the session's cookie and headers, and per response a
-- check that it is the real page (status and a marker in the body). done() prints one RESULT line with
-- requests/s and p50/p95/p99 (wrk's own --latency has no p95).
--
-- Environment: LOAD_NAME (label), LOAD_KIND (search | page | api | report | raw), LOAD_INPUTS (file, one input a
-- line: "patientId identityNumber" or a booking's external id), LOAD_COOKIE, LOAD_TOKEN (antiforgery form
-- token), LOAD_API_KEY, LOAD_EXPECT (status), LOAD_MARKER (text the body must contain; for a redirect, the Location), LOAD_PATH (the
-- report kind's page, default /Reports/Blocked).

local kind = os.getenv("LOAD_KIND")
local name = os.getenv("LOAD_NAME") or kind
local expect = tonumber(os.getenv("LOAD_EXPECT") or "200")
local marker = os.getenv("LOAD_MARKER")
local reportPath = os.getenv("LOAD_PATH") or "/Reports/Blocked"
local cookie = os.getenv("LOAD_COOKIE")
local token = os.getenv("LOAD_TOKEN")
local apiKey = os.getenv("LOAD_API_KEY")

local inputs = {}
local threads = {}
-- Globals, not locals: done() reads them from each thread with thread:get.
wrong_status = 0
wrong_body = 0

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("LOAD_INPUTS")) do
    if #line > 0 then table.insert(inputs, line) end
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

local function pick()
  local line = inputs[math.random(#inputs)]
  local id, pnr = line:match("^(%S+)%s*(%S*)$")
  return id, pnr
end

function request()
  local id, pnr = pick()
  local headers = { ["X-Forwarded-Proto"] = "https" }
  if cookie and #cookie > 0 then headers["Cookie"] = cookie end
  if kind == "search" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "Search.Query=" .. urlencode(pnr) .. "&__RequestVerificationToken=" .. urlencode(token)
    return wrk.format("POST", "/CheckIn?handler=Search", headers, body)
  elseif kind == "page" then
    return wrk.format("GET", "/CheckIn/Patient?id=" .. id, headers)
  elseif kind == "api" then
    headers["X-Api-Key"] = apiKey
    return wrk.format("GET", "/api/v1/bookings/" .. id .. "/messages", headers)
  elseif kind == "report" then
    return wrk.format("GET", reportPath, headers)
  else
    return wrk.format("GET", "/raw/patient?pnr=" .. pnr, headers)
  end
end

function response(status, headers, body)
  if status ~= expect then
    wrong_status = wrong_status + 1
  elseif marker and #marker > 0 then
    local where = body
    if status >= 300 and status < 400 then where = headers["Location"] or "" end
    if not where or not where:find(marker, 1, true) then
      wrong_body = wrong_body + 1
    end
  end
end

function done(summary, latency, requests)
  local ws, wb = 0, 0
  for _, t in ipairs(threads) do
    ws = ws + t:get("wrong_status")
    wb = wb + t:get("wrong_body")
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %s requests=%d rps=%.0f p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms wrong_status=%d wrong_body=%d socket_errors=%d\n",
    name, summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    ws, wb, errors))
end
