-- wrk script for bench/load_test.sh MIX=cold: every request is a different route. Pairs come
-- from the file named by $CORRIDOR_PAIRS (one "FROM TO" per line, all routable: the script
-- checks them first); each request walks the product pairs x payload_t (1..30) x objective
-- (time, cost, co2, balanced) in order, so no route or Monte Carlo result repeats within a
-- run and the server's caches help only with the 120 metrics (payload x objective).
local pairs_ = {}
for line in io.lines(os.getenv("CORRIDOR_PAIRS")) do
  local a, b = line:match("^(%S+)%s+(%S+)$")
  if a then pairs_[#pairs_ + 1] = { a, b } end
end
local objectives = { "time", "cost", "co2", "balanced" }
local n = 0
local threads = tonumber(os.getenv("CORRIDOR_THREADS") or "2")
local counter = 0
thread_id = 0 -- set per thread by setup()

setup = function(thread)
  thread:set("thread_id", counter)
  counter = counter + 1
end

request = function()
  -- Threads start far apart in the sequence (no two threads ask the same route).
  local k = n * threads + thread_id
  n = n + 1
  local p = pairs_[(k % #pairs_) + 1]
  local rest = math.floor(k / #pairs_)
  local payload = (rest % 30) + 1
  local obj = objectives[(math.floor(rest / 30) % 4) + 1]
  return wrk.format("GET", string.format("/v1/route?from=%s&to=%s&payload_t=%d&optimize=%s", p[1], p[2], payload, obj))
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_s=%.2f rps=%.1f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("RESULT p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("RESULT errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
