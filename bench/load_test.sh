#!/usr/bin/env bash
# HTTP load test of `corridor serve`: GET /v1/route over a mix of origin-destination pairs
# with wrk, against loopback only, bounded in time; sends SIGHUP (dataset reload) once in the
# middle of the run and fails if any request failed (socket error or non-2xx status).
#
#   bench/load_test.sh                       # release binary, 20 s, 2 threads, 16 connections
#   DURATION=10 CONNECTIONS=32 bench/load_test.sh
#   MIX=cold CONNECTIONS=32 bench/load_test.sh   # every request a different route (no cache hits)
#   RELOAD_EVERY=5 bench/load_test.sh        # SIGHUP every 5 s instead of once
#
# MIX=hot (default) cycles six pairs (bench/route_mix.lua): after the first requests the
# server's search cache answers the searches and Monte Carlo runs, so this measures the HTTP
# path, planning and JSON. MIX=cold (bench/route_mix_cold.lua) samples every 17th location of
# the embedded data, keeps the pairs that route, and never repeats a request (pairs x payload x
# objective): it measures a search and a 2,000-draw Monte Carlo per request.
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
MIX=${MIX:-hot}
RELOAD_EVERY=${RELOAD_EVERY:-0}
case "$MIX" in hot|cold) ;; *) echo "MIX must be hot or cold" >&2; exit 2 ;; esac
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
PAIRS=
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$OUT" ${PAIRS:+"$PAIRS"}' EXIT

for _ in $(seq 1 300); do
    curl -fsS "$BASE/health" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || { echo "server exited:" >&2; cat "$LOG" >&2; exit 1; }
    sleep 0.1
done
before=$(curl -fsS "$BASE/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dataset"]["loaded_at"])')
if [ "$MIX" = hot ]; then
    SCRIPT=bench/route_mix.lua
    # Every pair must route before we measure (a 4xx here is a broken pair, not load).
    for q in $(grep -o '"from=[^"]*"' bench/route_mix.lua | tr -d '"'); do
        curl -fsS -o /dev/null "$BASE/v1/route?$q" || { echo "warm-up request /v1/route?$q failed" >&2; exit 1; }
    done
else
    SCRIPT=bench/route_mix_cold.lua
    PAIRS=$(mktemp /tmp/corridor-pairs-XXXXXX.txt)
    # Every 17th location of the embedded data; pairs that do not route (islands of the
    # network, places on one mode only) are dropped here, not counted as failures. These
    # checks use payload_t=0.5, which the run never asks, so they warm no route cache entry.
    codes=$(tail -n +2 data/eurasia/locations.csv | cut -d, -f1 | awk 'NR % 17 == 1')
    total=0
    for a in $codes; do
        for b in $codes; do
            [ "$a" = "$b" ] && continue
            total=$((total + 1))
            if curl -fsS -o /dev/null "$BASE/v1/route?from=$a&to=$b&payload_t=0.5&samples=1"; then
                echo "$a $b" >>"$PAIRS"
            fi
        done
    done
    echo "cold mix: $(wc -l <"$PAIRS") of $total pairs route ($(echo $codes | wc -w) locations)"
    export CORRIDOR_PAIRS=$PAIRS CORRIDOR_THREADS=$THREADS
fi

CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout 10s --latency -s $SCRIPT $BASE"
echo "\$ $CMD"
if [ "$RELOAD_EVERY" -gt 0 ]; then
    echo "  (binary $BIN; $(nproc) cores; mix $MIX; SIGHUP to the server every $RELOAD_EVERY s)"
else
    echo "  (binary $BIN; $(nproc) cores; mix $MIX; SIGHUP to the server after $((DURATION / 2)) s)"
fi
$CMD >"$OUT" &
WRK=$!
hups=0
if [ "$RELOAD_EVERY" -gt 0 ]; then
    elapsed=0
    while [ $((elapsed + RELOAD_EVERY)) -lt "$DURATION" ]; do
        sleep "$RELOAD_EVERY"
        elapsed=$((elapsed + RELOAD_EVERY))
        kill -HUP "$SERVER"
        hups=$((hups + 1))
        hup_at=$(date +%s)
    done
else
    sleep $((DURATION / 2))
    kill -HUP "$SERVER"
    hups=1
    hup_at=$(date +%s)
fi
wait "$WRK"
cat "$OUT"

sleep 0.5
after=$(curl -fsS "$BASE/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dataset"]["loaded_at"])')
reloaded=no
if grep -q "dataset reloaded" "$LOG" && [ "$after" -ge "$hup_at" ] && [ "$after" -gt "$before" ]; then reloaded=yes; fi
reloads=$(grep -c "dataset reloaded" "$LOG" || true)

rps=$(sed -n 's/^RESULT .*rps=\([0-9.]*\).*/\1/p' "$OUT")
p50=$(sed -n 's/^RESULT p50_ms=\([0-9.]*\).*/\1/p' "$OUT")
p99=$(sed -n 's/^RESULT .*p99_ms=\([0-9.]*\).*/\1/p' "$OUT")
errors=$(sed -n 's/^RESULT errors_connect=\([0-9]*\) errors_read=\([0-9]*\) errors_write=\([0-9]*\) errors_status=\([0-9]*\) errors_timeout=\([0-9]*\)/\1 \2 \3 \4 \5/p' "$OUT" | awk '{print $1+$2+$3+$4+$5}')
echo "summary: mix ${MIX}, ${CONNECTIONS} connections: ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, ${errors} failed requests, reloads ${reloads} of ${hups} SIGHUPs (last one took effect: ${reloaded})"
if [ "$errors" != "0" ] || [ "$reloaded" != "yes" ] || [ "$reloads" -lt "$hups" ]; then
    echo "FAILED: requests failed or the reload did not happen; server log: $LOG" >&2
    exit 1
fi
rm -f "$LOG"
