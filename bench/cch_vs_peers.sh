#!/usr/bin/env bash
# corridor-cch side by side with peer engines on the Eurasia OSM road graph, in ONE harness run.
#
#   bench/cch_vs_peers.sh [ENGINES] [MATRIX_FILE]
#
# ENGINES defaults to dijkstra_rs,corridor_cch_rs,routingkit_cch,fast_paths_rs,scipy,osrm_ch
# (dijkstra_rs first: it is the harness's reference). Needs the peer venv /tmp/peers-venv
# (Python 3.12; see ../shared/bench/peers/setup_peers.sh: routingkit-cch, fast-paths, scipy,
# pandas, osrm-bindings, osmium) and cargo. Builds everything under /tmp; the shared harness is
# read-only, so it is copied to /tmp/cch-peers and patched by bench/patch_harness.py.
# Results: $OUT (default /tmp/cch-results/eurasia)/{results.md,results.json}, summarized by
# bench/summarize.py into the table of bench/README.md.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$REPO/../shared" && pwd)
ENGINES=${1:-dijkstra_rs,corridor_cch_rs,routingkit_cch,fast_paths_rs,scipy,osrm_ch}
QSET=$SHARED/bench/peers/eurasia_road
MATRIX_FILE=${2:-$QSET/matrix1000.txt}
PY=${PY:-/tmp/peers-venv/bin/python}
OUT=${OUT:-/tmp/cch-results/eurasia}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/target-cch}

# 1. corridor's harness binary (release).
(cd "$REPO" && cargo build --release -p corridor-cch --bin corridor-cch-bench)
export CORRIDOR_CCH_BIN=$CARGO_TARGET_DIR/release/corridor-cch-bench

# 2. a writable, patched copy of the harness, and its Rust peers (fast_paths, Dijkstra).
rm -rf /tmp/cch-peers && cp -r "$SHARED/bench/peers" /tmp/cch-peers && chmod -R u+w /tmp/cch-peers
python3 "$REPO/bench/patch_harness.py" /tmp/cch-peers
(cd /tmp/cch-peers/rust_peers && CARGO_TARGET_DIR=/tmp/cch-peers-rust-target cargo build --release -q)
export PEERS_RUST_BIN=/tmp/cch-peers-rust-target/release/rust_peers

# 3. the Eurasia road graph in the harness's directory format (metres = round(km * 1000)).
G=/tmp/cch-eurasia
[ -f $G/edges.csv ] || python3 "$REPO/bench/scgraph_to_graphdir.py" \
    "$SHARED/data/osm_road_scgraph/world_highways_eurasia_nodes.csv.gz" \
    "$SHARED/data/osm_road_scgraph/world_highways_eurasia_edges.csv.gz" $G

# 4. one run: the 1000 fixed pairs and the 1000x1000 matrix of eurasia_road/ (scipy answers
#    the first 200 pairs only, its default cap).
M=$(head -1 "$MATRIX_FILE" | wc -w)
cd /tmp/cch-peers
PATH=$(dirname "$PY"):$PATH "$PY" run_peers.py --graph $G --out "$OUT" --engines "$ENGINES" \
    --pairs 1000 --matrix "$M" --pairs-file "$QSET/pairs.txt" --matrix-file "$MATRIX_FILE" --timeout 1500
python3 "$REPO/bench/summarize.py" "$OUT/results.json"
