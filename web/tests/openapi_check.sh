#!/usr/bin/env bash
# Checks the served OpenAPI document: it validates as OpenAPI 3.1 (openapi-spec-validator), and
# schemathesis, generating a bounded number of requests per operation from it, finds no server
# error (5xx) and no answer that contradicts the documented status codes, content types or
# response schemas. Bad input rejected with a documented 4xx is the server doing its job.
#
#   bash web/tests/openapi_check.sh
#
# Environment: CORRIDOR_BIN (default target/debug/corridor), OPENAPI_VENV (a venv to create or
# reuse, default /tmp/corridor-openapi-venv), MAX_EXAMPLES per operation (default 20).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${CORRIDOR_BIN:-${CARGO_TARGET_DIR:-target}/debug/corridor}
VENV=${OPENAPI_VENV:-/tmp/corridor-openapi-venv}
MAX_EXAMPLES=${MAX_EXAMPLES:-20}
[ -x "$BIN" ] || { echo "$BIN not found: cargo build -p corridor-cli, or set CORRIDOR_BIN" >&2; exit 2; }
if [ ! -x "$VENV/bin/schemathesis" ] || [ ! -x "$VENV/bin/openapi-spec-validator" ]; then
    # Debian's python3 needs python3-venv for this (CI runs as root on a fresh machine).
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$VENV" && python3 -m venv "$VENV"
    fi
    "$VENV/bin/pip" install -q --disable-pip-version-check schemathesis==4.32.5 openapi-spec-validator==0.9.0
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/corridor-openapi-XXXXXX)
RUST_LOG=warn "$BIN" serve --bind "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do
    curl -fsS "$BASE/health" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || { echo "server exited:" >&2; cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done

curl -fsS "$BASE/openapi.json" -o "$WORK/openapi.json"
"$VENV/bin/openapi-spec-validator" "$WORK/openapi.json"

# /admin/reload is left out: it swaps the dataset (tested in crates/corridor-server). Phases
# examples and fuzzing keep the run bounded (coverage would enumerate every parameter
# combination); a fixed seed makes failures reproducible.
# Run from the scratch directory: schemathesis keeps a cache in ./.schemathesis.
cd "$WORK"
"$VENV/bin/schemathesis" run "$BASE/openapi.json" \
    --phases examples,fuzzing \
    --max-examples "$MAX_EXAMPLES" \
    --seed 14083 \
    --workers 2 \
    --request-timeout 15 \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-path /admin/reload \
    --no-color
