-- wrk script for bench/load_test.sh: cycles GET /v1/route over a few origin-destination pairs
-- and objectives, and prints the latency percentiles and error counts in a form the script
-- parses (lines starting with "RESULT").
local pairs_ = {
  "from=CNXIA&to=DEDUI&optimize=time",
  "from=CNXIA&to=DEDUI&optimize=balanced",
  "from=CNSGH&to=NLRTM&optimize=cost",
  "from=CNCQI&to=PLMAA&optimize=co2",
  "from=KZALA&to=TRIST&optimize=time",
  "from=CNXIA&to=GETBS&optimize=balanced",
}
local n = 0

request = function()
  n = n + 1
  return wrk.format("GET", "/v1/route?" .. pairs_[(n % #pairs_) + 1])
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
