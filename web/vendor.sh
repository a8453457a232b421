#!/bin/sh
# Copies Leaflet's distribution from node_modules (after `npm ci`) into static/vendor/, where
# corridor-server embeds it. The copies are committed, so `cargo build` needs no npm; rerun
# this after changing the Leaflet version in package.json and commit the result.
set -eu
cd "$(dirname "$0")"
src=node_modules/leaflet/dist
dst=static/vendor/leaflet
[ -f "$src/leaflet.js" ] || { echo "run 'npm ci' in web/ first" >&2; exit 1; }
rm -rf "$dst"
mkdir -p "$dst/images"
cp "$src/leaflet.js" "$src/leaflet.css" "$dst/"
cp "$src"/images/*.png "$dst/images/"
cp node_modules/leaflet/LICENSE "$dst/LICENSE"
echo "vendored leaflet $(node -p "require('./node_modules/leaflet/package.json').version") into $dst"
