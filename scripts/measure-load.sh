#!/usr/bin/env bash
# Requests a second and p99 latency of `courier load` against oha (crates.io: `cargo install
# oha --locked`) and wrk (Debian: `apt-get install wrk`), side by side in one run: the same
# loopback server, the same concurrency (default 50), the same duration (default 10s), each
# tool in turn for ROUNDS rounds (default 3), the median of each kept. wrk runs twice: with
# one thread, as Courier does against a server on this machine (half the cores), and with a
# thread per core. The servers: nginx
# (Debian's nginx-light, one worker, a 17-byte answer, started here on a free port) when it
# is installed, and Courier's demo server (`/json`, 150 bytes). Prints a table with Courier's
# requests a second as a ratio of each other tool's. A tool that is not on the PATH is
# said and left out.
# Needs a release build (cargo build --release).
#
# Usage: scripts/measure-load.sh [CONCURRENCY] [SECONDS] [ROUNDS]
set -euo pipefail

concurrency=${1:-50}
seconds=${2:-10}
rounds=${3:-3}
. "$(dirname "$0")/demo-server.sh"

targets=("demo http://127.0.0.1:$port/json")
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    nginx_port=$((port > 30000 ? port - 5000 : port + 5000))
    mkdir -p "$work/nginx/logs"
    cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 20000; }
http {
  access_log off;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { return 200 'hello from nginx\n'; }
  }
}
CONF
    "$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx"
    trap 'kill $demo 2>/dev/null; kill $(cat "$work/nginx/nginx.pid") 2>/dev/null; rm -rf "$work"' EXIT
    for _ in $(seq 50); do
        curl -s "http://127.0.0.1:$nginx_port/" >/dev/null 2>&1 && break
        sleep 0.1
    done
    targets=("nginx http://127.0.0.1:$nginx_port/" "${targets[@]}")
else
    echo "nginx is not installed: the demo server only" >&2
fi
tools=(courier)
command -v oha >/dev/null && tools+=(oha) || echo "oha is not on the PATH: left out" >&2
# wrk twice: with one thread (as Courier sends to a loopback server, leaving the other cores
# to the server) and with a thread per core (wrk's usual advice).
command -v wrk >/dev/null && tools+=(wrk-t1 "wrk-t$(nproc)") || echo "wrk is not on the PATH: left out" >&2

# One run of TOOL against URL: "requests-per-second p99-ms".
run() {
    local tool=$1 url=$2
    case $tool in
    courier)
        "$courier" load "$url" -c "$concurrency" -z "${seconds}s" --json |
            python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["requests_per_second"], s["latency_ms"]["p99"])'
        ;;
    oha)
        oha --no-tui --output-format json -c "$concurrency" -z "${seconds}s" "$url" |
            python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["summary"]["requestsPerSec"], d["latencyPercentiles"]["p99"]*1000)'
        ;;
    wrk-t*)
        local threads=${tool#wrk-t}
        threads=$(( threads < concurrency ? threads : concurrency ))
        wrk -t"$threads" -c"$concurrency" -d"${seconds}s" --latency "$url" | python3 -c '
import re, sys
text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", text).groups()
print(rps, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit])'
        ;;
    esac
}

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "courier load vs ${tools[*]:1}: -c $concurrency, ${seconds}s each, median of $rounds rounds, $(nproc) cores"
printf '%-7s %-8s %14s %10s %10s\n' server tool "requests/s" "p99 ms" "courier is"
for target in "${targets[@]}"; do
    name=${target%% *}
    url=${target#* }
    declare -A rps=() p99=()
    for round in $(seq "$rounds"); do
        for tool in "${tools[@]}"; do
            read -r r p < <(run "$tool" "$url")
            rps[$tool]+="$r "
            p99[$tool]+="$p "
        done
    done
    courier_rps=$(echo "${rps[courier]}" | tr ' ' '\n' | grep . | median)
    for tool in "${tools[@]}"; do
        r=$(echo "${rps[$tool]}" | tr ' ' '\n' | grep . | median)
        p=$(echo "${p99[$tool]}" | tr ' ' '\n' | grep . | median)
        ratio=$(python3 -c "print(f'{$courier_rps / $r:.2f}x')")
        printf '%-7s %-8s %14.0f %10.2f %10s\n' "$name" "$tool" "$r" "$p" "$ratio"
    done
    unset rps p99
done
