#!/usr/bin/env bash
# The detailed snapshot server against P6's targets, in one run on this machine: builds the
# full multimodal snapshot from ../shared/data (if not given), starts `corridor serve --data`,
# and measures /route/v1 (preset profile, and a custom exclusion list that customizes), /table/v1 100x100 (durations from the weights, and
# with exact distances along every path), and the server's RSS against the file size.
#
# Memory: RSS split into anonymous memory (heap: CCH, metrics, indexes) and mapped file pages
# (the snapshot, reclaimable by the kernel), after start and after the first request of each
# preset (each customizes that preset on first use unless the snapshot stores it, as
# `corridor build` does by default; see `--no-presets`).
#
#   bash bench/snapshot_server.sh [SNAPSHOT] [extra serve flags, e.g. --eager or --presets time]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${BIN:-}" ] || cargo build --release -q -p corridor-cli
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/corridor}
SNAP=${1:-/tmp/eurasia.corridor}
shift || true
if [ ! -f "$SNAP" ]; then
    "$BIN" build --from ../shared/data --out "$SNAP" >/dev/null
fi
PORT=${PORT:-8937}
"$BIN" --data "$SNAP" serve --bind 127.0.0.1:$PORT "$@" >/tmp/snapshot_server.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
SIZE=$(stat -c %s "$SNAP")
rss() { # label
    python3 - "$PID" "$SIZE" "$1" <<'PY'
import sys
pid, size, label = sys.argv[1], int(sys.argv[2]), sys.argv[3]
f = {l.split(':')[0]: int(l.split()[1]) * 1024 for l in open(f'/proc/{pid}/status') if l.startswith(('VmRSS', 'RssAnon', 'RssFile'))}
mb = lambda b: b / 1048576
print(f"{label:<44} RSS {mb(f['VmRSS']):6.0f} MB = {f['VmRSS'] / size:4.1f}x the file "
      f"(anonymous {mb(f['RssAnon']):5.0f} MB = {f['RssAnon'] / size:4.1f}x, mapped file {mb(f['RssFile']):4.0f} MB)")
PY
}
rss "after start"
for p in distance time p90 cost co2 balanced; do
    t=$(curl -s -o /dev/null -w "%{time_total}" "http://127.0.0.1:$PORT/route/v1/$p/108.95,34.27;6.77,51.43?overview=false")
    rss "after the first /route/v1/$p ($(python3 -c "print(round($t*1000))") ms)"
done
# 100 cities of 300k+ people inside the OSM cut (lat 22..70, lon -10..134), seeded, each
# replaced until every one snaps within 100 km.
COORDS=$(python3 - "$PORT" <<'PY'
import json, random, sys, urllib.request, urllib.error
port = sys.argv[1]
random.seed(7)
rows = [l.split('\t') for l in open('data/places/places.tsv', encoding='utf-8') if not l.startswith('#')]
big = [r for r in rows if int(r[6]) > 300000 and 22 < float(r[3]) < 70 and -10 < float(r[4]) < 134]
pts = random.sample(big, 100)
for _ in range(500):
    c = ';'.join(f"{float(r[4]):.4f},{float(r[3]):.4f}" for r in pts)
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/table/v1/time/{c}")
        break
    except urllib.error.HTTPError as e:
        i = json.loads(e.read()).get('index')
        pts[i] = random.choice(big)
print(c)
PY
)
timeit() { # label url
    local best=999
    for _ in $(seq 1 20); do
        t=$(curl -s -o /dev/null -w "%{time_total}" "$2")
        best=$(python3 -c "print(min($best, $t))")
    done
    printf "%-52s best of 20: %7.1f ms\n" "$1" "$(python3 -c "print($best*1000)")"
}
timeit "/route/v1/time Qingdao -> Duisburg (no geometry)" "http://127.0.0.1:$PORT/route/v1/time/120.38,36.07;6.77,51.43?overview=false"
timeit "/route/v1/balanced Xi'an -> Duisburg (full geometry)" "http://127.0.0.1:$PORT/route/v1/balanced/108.95,34.27;6.77,51.43"
timeit "/route/v1/time Xi'an -> Duisburg exclude=RU,BY (customizes)" "http://127.0.0.1:$PORT/route/v1/time/108.95,34.27;6.77,51.43?overview=false&exclude=RU,BY"
timeit "/table/v1/time 100x100 durations (from weights)" "http://127.0.0.1:$PORT/table/v1/time/$COORDS"
timeit "/table/v1/time 100x100 durations+distances (exact)" "http://127.0.0.1:$PORT/table/v1/time/$COORDS?annotations=duration,distance"
rss "at the end"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^corridor_snapshot_(cch|profile_metric|file)_bytes' || true
