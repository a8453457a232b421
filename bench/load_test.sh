#!/usr/bin/env bash
# HTTP load test of `corridor serve`: GET /v1/route over a mix of origin-destination pairs
# with wrk, against loopback only, bounded in time; sends SIGHUP (dataset reload) once in the
# middle of the run and fails if any request failed (socket error or non-2xx status).
#
#   bench/load_test.sh                       # release binary, 20 s, 2 threads, 16 connections
#   DURATION=10 CONNECTIONS=32 bench/load_test.sh
#
# Environment: CORRIDOR_BIN (default target/release/corridor, or $CARGO_TARGET_DIR/release/
# corridor), DURATION seconds (default 20), THREADS (2), CONNECTIONS (16). Needs wrk
# (apt-get install wrk). Prints the exact wrk command, wrk's report and a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${CORRIDOR_BIN:-${CARGO_TARGET_DIR:-target}/release/corridor}
DURATION=${DURATION:-20}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 2; }
[ -x "$BIN" ] || { echo "$BIN not found: cargo build --release -p corridor-cli, or set CORRIDOR_BIN" >&2; exit 2; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
LOG=$(mktemp /tmp/corridor-load-XXXXXX.log)
OUT=$(mktemp /tmp/corridor-wrk-XXXXXX.txt)
# The server logs every request at info; warn keeps logging out of the measurement, and the
# reload line is logged by name below.
RUST_LOG=warn,corridor_server::state=info "$BIN" serve --bind "127.0.0.1:$PORT" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$OUT"' EXIT

for _ in $(seq 1 300); do
    curl -fsS "$BASE/health" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || { echo "server exited:" >&2; cat "$LOG" >&2; exit 1; }
    sleep 0.1
done
before=$(curl -fsS "$BASE/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dataset"]["loaded_at"])')
# Every pair must route before we measure (a 4xx here is a broken pair, not load).
for q in $(grep -o '"from=[^"]*"' bench/route_mix.lua | tr -d '"'); do
    curl -fsS -o /dev/null "$BASE/v1/route?$q" || { echo "warm-up request /v1/route?$q failed" >&2; exit 1; }
done

CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout 10s --latency -s bench/route_mix.lua $BASE"
echo "\$ $CMD"
echo "  (binary $BIN; $(nproc) cores; SIGHUP to the server after $((DURATION / 2)) s)"
$CMD >"$OUT" &
WRK=$!
sleep $((DURATION / 2))
kill -HUP "$SERVER"
hup_at=$(date +%s)
wait "$WRK"
cat "$OUT"

sleep 0.5
after=$(curl -fsS "$BASE/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dataset"]["loaded_at"])')
reloaded=no
if grep -q "dataset reloaded" "$LOG" && [ "$after" -ge "$hup_at" ] && [ "$after" -gt "$before" ]; then reloaded=yes; fi

rps=$(sed -n 's/^RESULT .*rps=\([0-9.]*\).*/\1/p' "$OUT")
p50=$(sed -n 's/^RESULT p50_ms=\([0-9.]*\).*/\1/p' "$OUT")
p99=$(sed -n 's/^RESULT .*p99_ms=\([0-9.]*\).*/\1/p' "$OUT")
errors=$(sed -n 's/^RESULT errors_connect=\([0-9]*\) errors_read=\([0-9]*\) errors_write=\([0-9]*\) errors_status=\([0-9]*\) errors_timeout=\([0-9]*\)/\1 \2 \3 \4 \5/p' "$OUT" | awk '{print $1+$2+$3+$4+$5}')
echo "summary: ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, ${errors} failed requests, reload during the run: ${reloaded}"
if [ "$errors" != "0" ] || [ "$reloaded" != "yes" ]; then
    echo "FAILED: requests failed or the reload did not happen; server log: $LOG" >&2
    exit 1
fi
rm -f "$LOG"
