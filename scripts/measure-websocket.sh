#!/usr/bin/env bash
# WebSocket frames received per second, end to end: `courier send` against Python's
# `websockets` client (PyPI), both reading the demo server's /ws/ticker burst of FRAMES small
# JSON text frames (default 200,000) and writing each as a line to a file, with
# permessage-deflate agreed and without it. Prints the best wall time of RUNS (default 3),
# frames per second, peak memory, and Courier's speed as a ratio of the other's.
# Needs a release build (cargo build --release) and Python 3; `websockets` is installed into
# a temporary virtualenv when .ci/python has none.
#
# Usage: scripts/measure-websocket.sh [FRAMES] [RUNS]
set -euo pipefail

frames=${1:-200000}
runs=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
courier="$here/target/release/courier"
[ -x "$courier" ] || { echo "build first: cargo build --release" >&2; exit 1; }
work=$(mktemp -d)
export COURIER_HOME="$work/home"
port=$((20000 + RANDOM % 20000))
"$courier" serve-demo --port "$port" >/dev/null 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null; rm -rf "$work"' EXIT

python="$here/.ci/python/bin/python3"
if ! "$python" -c "import websockets.asyncio.client" 2>/dev/null; then
    python3 -m venv "$work/python" && "$work/python/bin/pip" install --quiet 'websockets>=13,<16'
    python="$work/python/bin/python3"
fi
cat > "$work/client.py" <<'PY'
import asyncio, sys
from websockets.asyncio.client import connect

async def main(url, deflate):
    with open(sys.argv[3], "w") as out:
        async with connect(url, max_size=None, compression="deflate" if deflate else None) as ws:
            async for message in ws:
                out.write(message + "\n")

asyncio.run(main(sys.argv[1], sys.argv[2] == "deflate"))
PY
for _ in $(seq 50); do
    curl -s "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
    sleep 0.1
done
url="ws://127.0.0.1:$port/ws/ticker?n=$frames&interval_ms=0"

# Best wall time and its peak memory over $runs runs of the command after `--`; checks that
# every frame arrived.
best() {
    local best_time="" best_kb=""
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || true
        local lines
        lines=$(wc -l < "$work/out")
        [ "$lines" -eq "$frames" ] || { echo "only $lines of $frames frames: $(cat "$work/err")" >&2; exit 1; }
        read -r t kb < "$work/time"
        if [ -z "$best_time" ] || awk "BEGIN{exit !($t < $best_time)}"; then
            best_time=$t best_kb=$kb
        fi
    done
    echo "$best_time $best_kb"
}

printf '%-34s %9s %14s %10s\n' "$frames frames" "seconds" "frames/s" "peak MB"
for deflate in deflate none; do
    flag=()
    [ "$deflate" = none ] && flag=(--no-deflate)
    read -r ct ckb < <(best bash -c '"$0" send "$1" "${@:3}" > "$2"' "$courier" "$url" "$work/out" "${flag[@]}")
    read -r pt pkb < <(best "$python" "$work/client.py" "$url" "$deflate" "$work/out")
    printf '%-34s %9s %14.0f %10.1f\n' "courier send ($deflate)" "$ct" "$(echo "$frames / $ct" | bc -l)" "$(echo "$ckb / 1024" | bc -l)"
    printf '%-34s %9s %14.0f %10.1f\n' "python websockets ($deflate)" "$pt" "$(echo "$frames / $pt" | bc -l)" "$(echo "$pkb / 1024" | bc -l)"
    printf '%-34s %9.2fx\n' "courier vs python ($deflate)" "$(echo "$pt / $ct" | bc -l)"
done
