#!/usr/bin/env bash
# Requests a second and p99 of `courier mock --openapi` against Prism (the npm registry's
# @stoplight/prism-cli, `prism mock`) on the Swagger petstore (tests/fixtures/import/openapi/
# swagger-petstore-v3.openapi.yaml), measured by the same load generator in one run: `courier
# load` (and wrk, when it is on the PATH) at the same concurrency (default 50) for the same
# time (default 10s), each server in turn for ROUNDS rounds (default 3), the median kept.
# Two requests: GET /pet/1 (an example, a path parameter checked), and POST /pet with a JSON
# body (checked against the Pet schema). Both carry an `api_key` header and a bearer token
# (GET /pet/{petId} takes either, POST /pet the OAuth2 one), since Prism checks security by
# default. Each server's log goes to /dev/null. Also prints each server's peak
# memory (VmHWM) after the run.
#
# Needs a release build (cargo build --release) and Prism: PRISM=path/to/prism, or `prism`
# on the PATH, or `npm install --prefix /tmp/prism @stoplight/prism-cli@5`.
#
# Usage: scripts/measure-mock.sh [CONCURRENCY] [SECONDS] [ROUNDS]
set -euo pipefail

concurrency=${1:-50}
seconds=${2:-10}
rounds=${3:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
courier="$root/target/release/courier"
spec="$root/tests/fixtures/import/openapi/swagger-petstore-v3.openapi.yaml"
prism=${PRISM:-$(command -v prism || echo /tmp/prism/node_modules/.bin/prism)}
if [ ! -x "$prism" ]; then
    echo "Prism is not installed: npm install --prefix /tmp/prism @stoplight/prism-cli@5" >&2
    exit 1
fi
[ -x "$courier" ] || { echo "build it first: cargo build --release" >&2; exit 1; }

work=$(mktemp -d)
courier_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
prism_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
COURIER_HOME="$work" "$courier" mock --openapi "$spec" --port "$courier_port" >/dev/null 2>&1 &
courier_pid=$!
"$prism" mock -h 127.0.0.1 -p "$prism_port" "$spec" >/dev/null 2>&1 &
prism_pid=$!
trap 'kill $courier_pid $prism_pid 2>/dev/null; rm -rf "$work"' EXIT
for port in "$courier_port" "$prism_port"; do
    for _ in $(seq 200); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.1
    done
done
# Prism serves the paths as written; Courier under the first server's path, /api/v3.
declare -A base=([courier]="http://127.0.0.1:$courier_port/api/v3" [prism]="http://127.0.0.1:$prism_port")
pid_of() { if [ "$1" = courier ]; then echo $courier_pid; else echo $prism_pid; fi; }
body='{"name": "doggie", "photoUrls": ["https://example.com/a.png"], "status": "available"}'
echo "$body" > "$work/pet.json"
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["api_key"] = "k"
wrk.headers["Authorization"] = "Bearer t"
LUA

# One run: "requests-per-second p99-ms" of GENERATOR sending REQUEST to SERVER.
run() {
    local generator=$1 server=$2 request=$3 url
    case $request in
    get) url="${base[$server]}/pet/1" ;;
    post) url="${base[$server]}/pet" ;;
    esac
    case $generator in
    courier-load)
        local flags=(-H "api_key: k" -H "Authorization: Bearer t")
        [ "$request" = post ] && flags+=(-X POST -H "Content-Type: application/json" --data-binary "@$work/pet.json")
        COURIER_HOME="$work" "$courier" load "$url" "${flags[@]}" -c "$concurrency" -z "${seconds}s" --json |
            python3 -c 'import json,sys; d=json.load(sys.stdin)["summary"]; assert d["failed"] == 0, d["statuses"]; print(d["requests_per_second"], d["latency_ms"]["p99"])'
        ;;
    wrk)
        local script=()
        [ "$request" = post ] && script=(-s "$work/post.lua")
        wrk -t1 -c"$concurrency" -d"${seconds}s" --latency -H "api_key: k" -H "Authorization: Bearer t" "${script[@]}" "$url" | python3 -c '
import re, sys
text = sys.stdin.read()
assert "Non-2xx" not in text, text
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", text).groups()
print(rps, float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit])'
        ;;
    esac
}

generators=(courier-load)
command -v wrk >/dev/null && generators+=(wrk) || echo "wrk is not on the PATH: courier load only" >&2
printf '%-13s %-5s %-8s %12s %9s\n' generator req server "req/s" "p99 ms"
for generator in "${generators[@]}"; do
    for request in get post; do
        declare -A median=()
        for server in courier prism; do
            results=()
            for _ in $(seq "$rounds"); do
                results+=("$(run "$generator" "$server" "$request")")
            done
            line=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")
            median[$server]=${line%% *}
            printf '%-13s %-5s %-8s %12.0f %9.2f\n' "$generator" "$request" "$server" ${line}
        done
        python3 -c "print(f'{\"\":13} {\"\":5} ratio    {${median[courier]} / ${median[prism]}:11.2f}x')"
    done
done
for server in courier prism; do
    echo "$server peak memory: $(grep VmHWM /proc/$(pid_of $server)/status | awk '{print $2, $3}')"
done
