#!/usr/bin/env bash
# corridor-cch side by side with peer engines, in ONE harness run, on the Eurasia RAIL graph or
# on a seeded synthetic graph (the road-graph run is bench/cch_vs_peers.sh).
#
#   bench/cch_graphs.sh GRAPH [ENGINES]
#
# GRAPH:
#   rail    ../shared/data/osm_rail_scgraph (196,524 nodes, 238,593 edges, 437 components),
#           converted by bench/scgraph_to_graphdir.py (weight = round(km * 1000) metres, both
#           directions). Queries: bench/component_queries.py draws 1000 pairs and the matrix's
#           sources/targets uniformly over the LARGEST component (162,513 nodes) with
#           random.Random(2026), passed with --pairs-file/--matrix-file (the harness's own
#           queries are uniform over all nodes, and most would be unreachable).
#   gNk     synthetic graph of N*1000 nodes from the harness's gen_graph.py --seed 42 (strongly
#           connected by construction, weights in seconds), e.g. g1000k (1M nodes), g100k;
#           the harness's own seeded queries (--seed 7).
# ENGINES defaults to dijkstra_rs,corridor_cch_rs,routingkit_cch,fast_paths_rs,scipy,osrm_mld
# (the harness's reference is the first of dijkstra_rs, scipy, routingkit_cch, fast_paths_rs,
# osrm_ch that answered every pair).
# Environment: OUT (default /tmp/cch-results/GRAPH), TIMEOUT per engine in seconds (default
# 1500; an engine that exceeds it is killed and recorded as FAILED (timeout) with its wall
# time), PAIRS (1000), MATRIX (1000: M x M), CAP (harness --cap, e.g. scipy=200), PY (venv python),
# OSRM_WEIGHT_PRECISION, OSRM_DURATION_SCALE (patch the OSRM profile, see bench/patch_harness.py),
# HARNESS (harness copy, default /tmp/cch-peers) and PEERS_RUST_TARGET (its Rust build dir,
# default /tmp/cch-peers-rust-target): give both their own values to run two graphs at once.
# Needs the peer venv /tmp/peers-venv (see bench/README.md) and cargo; builds under /tmp.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED=$(cd "$REPO/../shared" && pwd)
GRAPH=${1:?usage: cch_graphs.sh rail|gNk [ENGINES]}
ENGINES=${2:-dijkstra_rs,corridor_cch_rs,routingkit_cch,fast_paths_rs,scipy,osrm_mld}
PY=${PY:-/tmp/peers-venv/bin/python}
OUT=${OUT:-/tmp/cch-results/$GRAPH}
TIMEOUT=${TIMEOUT:-1500}
PAIRS=${PAIRS:-1000}
MATRIX=${MATRIX:-1000}
CAP=${CAP:-}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/target-cch}

# 1. corridor's harness binary (release).
(cd "$REPO" && cargo build --release -p corridor-cch --bin corridor-cch-bench)
export CORRIDOR_CCH_BIN=$CARGO_TARGET_DIR/release/corridor-cch-bench

# 2. a writable, patched copy of the harness, and its Rust peers (fast_paths, Dijkstra).
H=${HARNESS:-/tmp/cch-peers}
rm -rf "$H" && cp -r "$SHARED/bench/peers" "$H" && chmod -R u+w "$H"
python3 "$REPO/bench/patch_harness.py" "$H"
RT=${PEERS_RUST_TARGET:-/tmp/cch-peers-rust-target}
(cd "$H/rust_peers" && CARGO_TARGET_DIR=$RT cargo build --release -q)
export PEERS_RUST_BIN=$RT/release/rust_peers

# 3. the graph in the harness's directory format, and the query options.
case "$GRAPH" in
rail)
    G=/tmp/cch-rail
    [ -f $G/edges.csv ] || python3 "$REPO/bench/scgraph_to_graphdir.py" \
        "$SHARED/data/osm_rail_scgraph/world_railways_eurasia_nodes.csv.gz" \
        "$SHARED/data/osm_rail_scgraph/world_railways_eurasia_edges.csv.gz" $G rail
    Q=/tmp/cch-rail-queries
    python3 "$REPO/bench/component_queries.py" $G $Q "$PAIRS" "$MATRIX" 2026
    QUERY_ARGS=(--pairs-file $Q/pairs.txt --matrix-file $Q/matrix.txt)
    ;;
g*k)
    N=${GRAPH#g}
    N=$((${N%k} * 1000))
    G=/tmp/cch-synth/$GRAPH
    [ -f $G/edges.csv ] || "$PY" "$H/gen_graph.py" --nodes $N --seed 42 --out $G
    QUERY_ARGS=(--seed 7)
    ;;
*)
    echo "unknown graph $GRAPH (rail or gNk)" >&2
    exit 2
    ;;
esac

# 4. one run; the load average before and after goes into $OUT/load.txt (a shared machine).
mkdir -p "$OUT"
echo "before $(date -Is): $(cut -d' ' -f1-3 /proc/loadavg)" >"$OUT/load.txt"
cd "$H"
PATH=$(dirname "$PY"):$PATH "$PY" run_peers.py --graph $G --out "$OUT" --engines "$ENGINES" \
    --pairs "$PAIRS" --matrix "$MATRIX" "${QUERY_ARGS[@]}" --timeout "$TIMEOUT" ${CAP:+--cap "$CAP"}
echo "after  $(date -Is): $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/load.txt"
cat "$OUT/load.txt"
python3 "$REPO/bench/summarize.py" "$OUT/results.json"
