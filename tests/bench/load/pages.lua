-- wrk script: visitors browsing. Every request is a GET of a random line of BENCH_PATHS (the sitemap's pages and the
-- static files they use, written by `LoadTool urls`), with a browser's Accept and Accept-Encoding headers.
--
-- Environment: BENCH_PATHS (the file), BENCH_PACE_MS (each connection waits this long after an answer; 0 or unset: as
-- fast as it can). Prints "bench-statuses: 200=N,…" at the end: anything but 200 is an unexpected answer for the script.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local requests
statuses = {}

function init(args)
  local file = assert(os.getenv("BENCH_PATHS"), "BENCH_PATHS is not set")
  local headers = {
    ["Host"] = wrk.headers["Host"],
    ["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8",
    ["Accept-Encoding"] = "gzip, deflate, br",
  }
  -- Formatted once: request() only picks one.
  requests = {}
  for line in io.lines(file) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format("GET", line, headers)
    end
  end
  assert(#requests > 0, "BENCH_PATHS is empty")
  math.randomseed(os.time() + 7919 * id)
end

function request()
  return requests[math.random(#requests)]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals, out = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    out[#out + 1] = status .. "=" .. count
  end
  table.sort(out)
  io.write("bench-statuses: " .. table.concat(out, ",") .. "\n")
end

-- Paced visitors: wrk measures from sending a request to its answer, so the pause is not part of the latency.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "0")
if pace > 0 then
  function delay()
    return pace
  end
end
