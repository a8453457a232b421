#!/usr/bin/env bash
# Fuzzing corridor's parsers with libFuzzer on stable Rust (see fuzz/README.md).
#
#   fuzz/run.sh build              instrumented build of every target (fuzz/target)
#   fuzz/run.sh TARGET SECONDS     fuzz one target for SECONDS on a scratch copy of its corpus
#   fuzz/run.sh ci                 build, replay the committed corpora, then each target 15 s
#   fuzz/run.sh campaign N [T...]  each target (or the ones named) until N executions
#   fuzz/run.sh merge TARGET DIR   minimize DIR + the committed corpus into corpus/TARGET
#                                  (inputs named regression-* are always kept)
#
# Runs one fuzzing job at a time, under `nice`: the machine is shared. Crashes land in
# fuzz/artifacts/TARGET/; any crash makes the script exit non-zero.
set -euo pipefail
cd "$(dirname "$0")"

TARGETS=(pairs tntp places scenario dataset snapshot http)
TRIPLE=x86_64-unknown-linux-gnu
BIN=target/$TRIPLE/release
# Sanitizer coverage with cargo on stable (what cargo-fuzz passes, minus the nightly-only
# flags), plus the debug and overflow checks a fuzz build wants. --target is required: without
# it the flags also reach build scripts and proc macros, which then fail to link.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
export CARGO_TERM_COLOR=never
# The largest inputs each target mutates: the seeds' size and a little more, so that slow
# paths are not fed megabytes (see README.md for the exec rates these keep).
declare -A MAX_LEN=([pairs]=4096 [tntp]=8192 [places]=256 [scenario]=4096 [dataset]=4096 [snapshot]=4096 [http]=2048)
# Seconds one input may take before libFuzzer reports a hang.
TIMEOUT=10

build() {
    local t0=$SECONDS
    # Not --locked: the workspace crates' dependencies move, and the fuzz lockfile follows them.
    nice -n 10 cargo build --release --target "$TRIPLE" --manifest-path Cargo.toml
    echo "build: $((SECONDS - t0)) s"
}

# run TARGET ARGS...: one libFuzzer process on a scratch copy of the committed corpus, so
# that only `merge` changes corpus/.
run() {
    local t=$1
    shift
    rm -rf "scratch/$t"
    mkdir -p "scratch/$t" "artifacts/$t"
    cp -r "corpus/$t/." "scratch/$t/"
    nice -n 10 "$BIN/$t" "scratch/$t" -artifact_prefix="artifacts/$t/" -max_len="${MAX_LEN[$t]}" \
        -timeout=$TIMEOUT -rss_limit_mb=2048 -print_final_stats=1 "$@"
}

# replay TARGET: every committed input once (regressions of fixed crashes).
replay() {
    local t=$1
    mkdir -p "artifacts/$t"
    nice -n 10 "$BIN/$t" "corpus/$t" -runs=0 -timeout=$TIMEOUT -rss_limit_mb=2048 \
        -artifact_prefix="artifacts/$t/"
}

case "${1:-}" in
build)
    build
    ;;
ci)
    build
    for t in "${TARGETS[@]}"; do
        echo "== replay $t: $(find "corpus/$t" -type f | wc -l) inputs"
        mkdir -p scratch
        replay "$t" >"scratch/$t.replay.log" 2>&1 || {
            tail -n 40 "scratch/$t.replay.log" >&2
            echo "fuzz: $t fails on its committed corpus" >&2
            exit 1
        }
    done
    for t in "${TARGETS[@]}"; do
        echo "== fuzz $t 15 s"
        run "$t" -max_total_time=15 >"scratch/$t.log" 2>&1 || {
            tail -n 40 "scratch/$t.log" >&2
            echo "fuzz: $t crashed; input in fuzz/artifacts/$t/" >&2
            exit 1
        }
        grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec' "scratch/$t.log" | tr '\n' ' '
        echo
    done
    ;;
campaign)
    n=${2:?"campaign N: executions per target"}
    shift 2
    [ $# -gt 0 ] && list=("$@") || list=("${TARGETS[@]}")
    # The log goes next to the scratch corpus, which `run` creates only after the redirection.
    mkdir -p scratch
    for t in "${list[@]}"; do
        t0=$SECONDS
        status=ok
        run "$t" -runs="$n" >"scratch/$t.campaign.log" 2>&1 || status=CRASHED
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "scratch/$t.campaign.log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "scratch/$t.campaign.log")
        size=$(find "scratch/$t" -type f | wc -l)
        echo "$t: $status, ${execs:-?} execs, ${rate:-?} exec/s, $((SECONDS - t0)) s, corpus $size inputs (log fuzz/scratch/$t.campaign.log)"
    done
    ;;
merge)
    t=${2:?"merge TARGET DIR"}
    dir=${3:?"merge TARGET DIR"}
    rm -rf "scratch/merged-$t"
    mkdir -p "scratch/merged-$t"
    # -use_counters=0: keep the inputs that reach new edges, not every new hit count of an
    # edge (ten times fewer files; the campaigns rebuild the rest in seconds).
    nice -n 10 "$BIN/$t" -merge=1 -use_counters=0 -max_len="${MAX_LEN[$t]}" -timeout=$TIMEOUT "scratch/merged-$t" "corpus/$t" "$dir"
    # Inputs of fixed bugs stay whatever the merge thinks of their coverage.
    find "corpus/$t" -name 'regression-*' -exec cp {} "scratch/merged-$t/" \;
    rm -rf "corpus/$t"
    mv "scratch/merged-$t" "corpus/$t"
    echo "corpus/$t: $(find "corpus/$t" -type f | wc -l) inputs, $(du -sh --apparent-size "corpus/$t" | cut -f1)"
    ;;
"" | -h | --help)
    sed -n '2,13p' "$0"
    ;;
*)
    [ $# -eq 2 ] || { sed -n '2,13p' "$0"; exit 2; }
    run "$1" -max_total_time="$2"
    ;;
esac
