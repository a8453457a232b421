#!/usr/bin/env bash
# corridor-assign vs AequilibraE: user equilibrium (bi-conjugate Frank-Wolfe, BPR) on the TNTP
# networks, side by side in one run, to the same relative gap. Prints a Markdown table.
#
#   bench/assign_vs_aequilibrae.sh [GAP] [NETWORK...]      # defaults: 1e-4 SiouxFalls Anaheim
#
# Environment: TNTP_DIR (default <repo>/../shared/data/tntp), AEQ_PYTHON (default
# /tmp/peers-venv-aeq/bin/python: aequilibrae 1.7.2 in Debian's python3.11 venv, because
# pyenv's sqlite3 cannot load extensions), CARGO_TARGET_DIR (default /tmp/target-assign),
# REPEAT (default 5 for corridor, 3 for AequilibraE; the fastest run is reported).
# Set-up of the venv, once:
#   apt-get install -y libsqlite3-mod-spatialite python3.11-venv
#   /usr/bin/python3.11 -m venv /tmp/peers-venv-aeq && /tmp/peers-venv-aeq/bin/pip install aequilibrae==1.7.2
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
gap="${1:-1e-4}"
shift || true
networks=("$@")
[ ${#networks[@]} -eq 0 ] && networks=(SiouxFalls Anaheim)
data="${TNTP_DIR:-$repo/../shared/data/tntp}"
aeq_py="${AEQ_PYTHON:-/tmp/peers-venv-aeq/bin/python}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/target-assign}"
max_iter=100000
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

[ -d "$data" ] || { echo "no TNTP data in $data (set TNTP_DIR)" >&2; exit 1; }
[ -x "$aeq_py" ] || { echo "no AequilibraE python at $aeq_py (see the set-up lines in $0)" >&2; exit 1; }

(cd "$repo" && cargo build --release -q -p corridor-assign --example assign_tntp)
corridor="$CARGO_TARGET_DIR/release/examples/assign_tntp"

val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(rustc --version | cut -d' ' -f1-2); $("$aeq_py" --version)"
echo
echo "| network | tool | iterations | reported gap | gap of returned flows (corridor's definition) | TSTT | TSTT vs best-known | max flow dev, links >= 100 veh | max flow dev, links < 100 veh | assignment s | set-up s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${networks[@]}"; do
    net="$data/${n}_net.tntp" trips="$data/${n}_trips.tntp" best="$data/${n}_flow.tntp"
    "$corridor" "$net" "$trips" --gap "$gap" --max-iter "$max_iter" --repeat "${REPEAT:-5}" --best "$best" > "$work/c.txt"
    # OMP_WAIT_POLICY=passive: AequilibraE's Cython kernels open an OpenMP region per vector
    # operation; with the default busy-waiting they were 5x slower on this shared 2-core machine.
    OMP_WAIT_POLICY=passive "$aeq_py" "$repo/bench/assign_aeq.py" "$net" "$trips" "$gap" "$max_iter" \
        --out "$work/a.csv" --repeat "${REPEAT:-3}" > "$work/a.txt" 2> "$work/a.err" \
        || { cat "$work/a.err" >&2; exit 1; }
    "$corridor" "$net" "$trips" --eval "$work/a.csv" --best "$best" > "$work/ae.txt"
    printf "| %s | corridor-assign (bfw, 1 thread) | %s | %.3e | %.3e | %.1f | %+.2e | %.3f%% | %.2f | %.4f | %.4f |\n" "$n" \
        "$(val iterations "$work/c.txt")" "$(val relative_gap "$work/c.txt")" "$(val relative_gap "$work/c.txt")" \
        "$(val tstt "$work/c.txt")" "$(val tstt_rel_dev "$work/c.txt")" \
        "$(awk '$1=="max_rel_dev_flows_ge_100"{print 100*$2}' "$work/c.txt")" "$(val max_abs_dev_flows_lt_100 "$work/c.txt")" \
        "$(val assign_seconds "$work/c.txt")" "$(val read_seconds "$work/c.txt")"
    printf "| %s | AequilibraE %s (bfw, %s threads) | %s | %.3e | %.3e | %.1f | %+.2e | %.3f%% | %.2f | %.4f | %.4f |\n" "$n" \
        "$(val aequilibrae_version "$work/a.txt")" "$(val cores "$work/a.txt")" \
        "$(val iterations "$work/a.txt")" "$(val reported_rgap "$work/a.txt")" "$(val relative_gap "$work/ae.txt")" \
        "$(val tstt "$work/ae.txt")" "$(val tstt_rel_dev "$work/ae.txt")" \
        "$(awk '$1=="max_rel_dev_flows_ge_100"{print 100*$2}' "$work/ae.txt")" "$(val max_abs_dev_flows_lt_100 "$work/ae.txt")" \
        "$(val assign_seconds "$work/a.txt")" "$(val setup_seconds "$work/a.txt")"
done
