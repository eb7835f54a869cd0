#!/usr/bin/env bash
# A WebSocket push in the TUI (release build, 160x45 pseudo-terminal): the demo server's
# /ws/ticker sends FRAMES small JSON text frames as fast as it can (default 1,000,000) while
# scripts/big_body.py opens the help screen every 400 ms and times each key to the screen,
# samples memory, and waits for the close to show. Prints the frames per second the session
# took in, the key latencies (median, worst) and the peak memory.
# Needs: python3. Usage: scripts/measure-websocket-tui.sh [FRAMES]
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-1000000}
cargo build --profile ${PROFILE:-release} --quiet --bin courier
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/collections/push"
echo '{"courier": 1, "name": "Push"}' > "$work/collections/push/collection.json"
echo "{\"courier\": 1, \"name\": \"Frame flood\", \"method\": \"GET\", \"url\": \"{{\$demoWs}}/ws/ticker?n=$frames&interval_ms=0\"}" > "$work/collections/push/flood.json"
# A second request, so the title bar says "2 requests", which big_body.py waits for.
echo '{"courier": 1, "name": "Echo", "url": "{{$demoWs}}/ws/echo"}' > "$work/collections/push/echo.json"
# Courier's own files (spilled bodies, the history) outside the watched collections, as
# they are by default: inside, each write to them would wake the watcher.
export COURIER_HOME="$work/home"
result=$(python3 scripts/big_body.py ./target/${PROFILE:-release}/courier "$work/collections" "frame flood" "closed 1000")
echo "$result"
seconds=$(echo "$result" | sed -n 's/^body done in \([0-9.]*\) s.*/\1/p')
python3 -c "print(f'{$frames} frames in {$seconds} s: {$frames / $seconds:,.0f} frames/s taken in and logged')"
