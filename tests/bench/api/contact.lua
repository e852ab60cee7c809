-- wrk script: POST /api/v1/contact-messages, every request with its own sender and text, so that the
-- duplicate detection (same address and text within minutes are stored once) never short-circuits one.
--
-- Environment: BENCH_TAG (makes the texts distinct across runs).

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local position, tag
statuses = {}

function init(args)
  tag = os.getenv("BENCH_TAG") or "run"
  position = 0
end

function request()
  position = position + 1
  local who = tag .. "-" .. id .. "-" .. position
  local body = '{"name":"Bench Sender ' .. who .. '","email":"sender-' .. who .. '@example.com"' ..
    ',"company":"Bench Ltd","subject":"Benchmark message ' .. who .. '"' ..
    ',"message":"Hello, this is benchmark message ' .. who .. '. We would like to talk about a project."}'
  return wrk.format("POST", "/api/v1/contact-messages", { ["Content-Type"] = "application/json" }, body)
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
  io.write("bench-exhausted: 0\n")
end

-- BENCH_PACE_MS: each connection waits this long after an answer before its next request (0: none, as fast as
-- possible). wrk measures latency from sending to the answer, so the pause is not part of it.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "0")

function delay()
  return pace
end
