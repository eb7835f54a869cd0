#!/usr/bin/env bash
# End-to-end measurement of big responses in the TUI (release build, 160x45 pseudo-terminal):
# a 1 GB JSON body (one minified line, pretty-printed as it arrives) and a 1 GB binary body,
# both streamed by the in-process demo server. For each: peak resident memory, and how fast
# keys reach the screen while it streams (scripts/big_body.py).
# Needs: python3. Usage: scripts/measure-big-body.sh [BYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
bytes=${1:-1000000000}
cargo build --release --quiet --bin courier
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/collections/big"
echo '{"courier": 1, "name": "Big bodies"}' > "$work/collections/big/collection.json"
echo "{\"courier\": 1, \"name\": \"Huge JSON\", \"method\": \"GET\", \"url\": \"{{\$demo}}/json?bytes=$bytes\", \"options\": {\"timeouts\": {\"total\": \"10m\"}}}" > "$work/collections/big/huge-json.json"
echo "{\"courier\": 1, \"name\": \"Huge binary\", \"method\": \"GET\", \"url\": \"{{\$demo}}/bytes?n=$bytes\", \"options\": {\"timeouts\": {\"total\": \"10m\"}}}" > "$work/collections/big/huge-binary.json"
# Courier's own files (spilled bodies, the history) outside the watched collections, as
# they are by default: inside, each write to them would wake the watcher.
export COURIER_HOME="$work/home"
size=$(python3 -c "b=$bytes; print(f'{b/1e9:.1f} GB' if b >= 1e9 else f'{b/1e6:.1f} MB')")
echo "JSON, $bytes bytes:   $(python3 scripts/big_body.py ./target/release/courier "$work/collections" "huge json" "$size  ")"
echo "binary, $bytes bytes: $(python3 scripts/big_body.py ./target/release/courier "$work/collections" "huge binary" "$size  ")"
