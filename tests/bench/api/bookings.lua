-- wrk script: POST /api/v1/bookings, every request with a slot no other request uses.
--
-- Environment: BENCH_SLOTS (a file of "expert-slug start-utc" lines, written by bench.py slots),
-- BENCH_THREADS (wrk's -t), BENCH_TAG (makes names and e-mails distinct across runs).
-- Thread i takes the lines i, i + n, i + 2n, … so no slot is used twice. A thread that runs out repeats its
-- last slot (the app answers 409) and counts it as "exhausted": the shell script fails the run then.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local slots, position, tag
statuses = {}
exhausted = 0

function init(args)
  local file = assert(os.getenv("BENCH_SLOTS"), "BENCH_SLOTS is not set")
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  tag = os.getenv("BENCH_TAG") or "run"
  slots = {}
  local line_number = 0
  for line in io.lines(file) do
    if line_number % n == id then
      slots[#slots + 1] = line
    end
    line_number = line_number + 1
  end
  position = 0
end

function request()
  position = position + 1
  local line = slots[position]
  if line == nil then
    exhausted = exhausted + 1
    line = slots[#slots]
  end
  local expert, start = line:match("^(%S+) (%S+)$")
  local who = tag .. "-" .. id .. "-" .. position
  local body = '{"expert":"' .. expert .. '","start":"' .. start ..
    '","name":"Bench Client ' .. who .. '","email":"client-' .. who .. '@example.com"' ..
    ',"company":"Bench Ltd","topic":"Load test ' .. who .. '","notes":"Booked by the API benchmark."' ..
    ',"timeZone":"Europe/Berlin"}'
  return wrk.format("POST", "/api/v1/bookings", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals, out, spent = {}, {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
    spent = spent + thread:get("exhausted")
  end
  for status, count in pairs(totals) do
    out[#out + 1] = status .. "=" .. count
  end
  table.sort(out)
  io.write("bench-statuses: " .. table.concat(out, ",") .. "\n")
  io.write("bench-exhausted: " .. spent .. "\n")
end

-- BENCH_PACE_MS: each connection waits this long after an answer before its next request (0: none, as fast as
-- possible). wrk measures latency from sending to the answer, so the pause is not part of it.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "0")

function delay()
  return pace
end
