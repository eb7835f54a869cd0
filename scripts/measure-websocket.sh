#!/usr/bin/env bash
# WebSocket frames received per second, end to end: `courier send` against Python's
# `websockets` client (PyPI), both reading the demo server's /ws/ticker burst of FRAMES small
# JSON text frames (default 200,000) and writing each as a line to a file, with
# permessage-deflate agreed and without it. Prints the best wall time of RUNS (default 3),
# frames per second, peak memory, and Courier's speed as a ratio of the other's.
# Then echo round trips through an interactive client, one message at a time (ROUNDS,
# default 5,000), against /ws/echo: `courier send --messages-from -` against the `websockets`
# package's interactive client (`python -m websockets`) and websocat when it is on the PATH
# (`cargo install websocat`), all three reading lines from a pipe and printing what comes
# back; and, as a floor, the same loop inside one Python process (no pipes, no second
# process). Prints the median, 99th percentile and mean in microseconds.
# Needs a release build (cargo build --release) and Python 3; `websockets` is installed into
# a temporary virtualenv when .ci/python has none.
#
# Usage: scripts/measure-websocket.sh [FRAMES] [RUNS] [ROUNDS]
set -euo pipefail

frames=${1:-200000}
runs=${2:-3}
rounds=${3:-5000}
. "$(dirname "$0")/demo-server.sh"

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

# Echo round trips, one message at a time.
cat > "$work/echo_loop.py" <<'PY'
import asyncio, statistics, sys, time
from websockets.asyncio.client import connect

async def main(url, rounds):
    async with connect(url) as ws:
        for n in range(20):
            await ws.send(f"warm {n}"); await ws.recv()
        times = []
        for n in range(rounds):
            started = time.perf_counter()
            await ws.send(f"msg {n}"); await ws.recv()
            times.append((time.perf_counter() - started) * 1e6)
    times.sort()
    mean = statistics.fmean(times)
    print(f"{statistics.median(times):.0f} {times[int(len(times) * 0.99)]:.0f} {mean:.0f} {1e6 / mean:.0f}")

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
PY
echo_url="ws://127.0.0.1:$port/ws/echo"
echo
printf '%-34s %10s %10s %10s %12s\n' "echo round trip, $rounds messages" "median µs" "p99 µs" "mean µs" "round trips/s"
# row KEY NAME COMMAND...: one client's line; its mean is kept as mean-KEY for the ratios.
row() {
    local key=$1 name=$2; shift 2
    read -r median p99 mean rate < <("$@")
    printf '%-34s %10s %10s %10s %12s\n' "$name" "$median" "$p99" "$mean" "$rate"
    echo "$mean" > "$work/mean-$key"
}
row courier "courier send --messages-from -" "$python" "$here/scripts/echo_round_trip.py" "$rounds" "$courier" send "$echo_url" --messages-from -
row python-cli "python -m websockets" "$python" "$here/scripts/echo_round_trip.py" "$rounds" "$python" -m websockets "$echo_url"
if command -v websocat >/dev/null; then
    row websocat "websocat" "$python" "$here/scripts/echo_round_trip.py" "$rounds" websocat "$echo_url"
    printf '%-34s %9.2fx\n' "courier vs websocat (mean)" "$(echo "$(cat "$work/mean-websocat") / $(cat "$work/mean-courier")" | bc -l)"
else
    echo "websocat: not on the PATH (cargo install websocat), left out"
fi
row python-loop "python loop, one process (floor)" "$python" "$work/echo_loop.py" "$echo_url" "$rounds"
printf '%-34s %9.2fx\n' "courier vs python -m websockets" "$(echo "$(cat "$work/mean-python-cli") / $(cat "$work/mean-courier")" | bc -l)"
