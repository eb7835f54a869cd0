#!/usr/bin/env bash
# `courier test` end to end, against newman on the same collection in the same run.
#
# One Postman collection of REQUESTS requests (default 1,000) in 8 folders, each a GET of
# the demo server's /echo with two tests in pm.* form (the status, a JSON value), is run:
#   - by newman (it runs one request at a time);
#   - imported, by `courier test --jobs 1` and `--jobs 8` (the 8 folders at once);
#   - and, for the cost of a run per request, one request by `courier send` SENDS times
#     (default 100), each a new process, as a shell loop over curl-like calls would be.
# Every run records nothing in the history (--no-history), so what is timed is the sending
# and checking. Then 200 requests whose answers each take 20 ms, by --jobs 1 and 8, where
# running folders at once pays. Prints each wall time (best of RUNS, default 3), the per-request time and
# peak memory, and the ratios. Needs a release build (cargo build --release) and Node.js;
# newman is installed with npm into a temporary directory when .ci/node has none.
#
# Usage: scripts/measure-test-runner.sh [REQUESTS] [RUNS] [SENDS]
set -euo pipefail

requests=${1:-1000}
runs=${2:-3}
sends=${3:-100}
. "$(dirname "$0")/demo-server.sh"

newman="$here/.ci/node/node_modules/.bin/newman"
if [ ! -x "$newman" ]; then
    (cd "$work" && npm install --silent --no-audit --no-fund newman@6 >/dev/null)
    newman="$work/node_modules/.bin/newman"
fi

# A collection of $1 requests to the demo server's path $2 (an /echo, or a /delay/MS that
# answers only after MS milliseconds), named $3.
collection() {
python3 - "$1" "$2" "$3" <<'PY'
import json, sys
requests, path, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
tests = [
    'pm.test("Status code is 200", function () { pm.response.to.have.status(200); });',
    'pm.test("Sent with GET", function () { pm.expect(pm.response.json().method).to.eql("GET"); });'
    if path == "/echo" else
    'pm.test("Waited", function () { pm.expect(pm.response.json().delayed_ms).to.be.above(0); });',
]
folders = []
for f in range(8):
    items = []
    for r in range(f, requests, 8):
        items.append({"name": f"Request {r}", "event": [{"listen": "test", "script": {"exec": tests}}],
                      "request": {"method": "GET", "url": {"raw": "{{base}}" + path + "?n=" + str(r),
                      "host": ["{{base}}"], "path": path.strip("/").split("/"),
                      "query": [{"key": "n", "value": str(r)}]}}})
    folders.append({"name": f"Folder {f}", "item": items})
print(json.dumps({"info": {"name": name, "schema":
    "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "variable": [{"key": "base", "value": "http://127.0.0.1:1"}], "item": folders}))
PY
}
collection "$requests" /echo Bench > "$work/bench.postman_collection.json"
"$courier" import "$work/bench.postman_collection.json" --into "$work/c" >/dev/null
# The same at 200 requests whose answers each take 20 ms: where --jobs shows.
collection 200 /delay/20 Slow > "$work/slow.postman_collection.json"
"$courier" import "$work/slow.postman_collection.json" --into "$work/c" >/dev/null
until "$courier" send "http://127.0.0.1:$port/" --no-history >/dev/null 2>&1; do :; done
base="base=http://127.0.0.1:$port"

# Best wall time and the peak RSS of that run, over $runs runs of "$@".
measure() {
    local best="" rss=""
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
        read -r seconds kb < <(tail -n 1 "$work/time")
        if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then
            best=$seconds
            rss=$kb
        fi
    done
    echo "$best $rss"
}

# $sends `courier send` processes one after another, as a script calling it would.
cat > "$work/sends.sh" <<SH
for _ in \$(seq $sends); do
    "$courier" send bench/folder-0/request-0 --collections "$work/c" --var "$base" --no-history >/dev/null
done
SH

echo "$requests requests in 8 folders, 2 tests each; best of $runs runs"
read -r n_time n_rss < <(measure "$newman" run "$work/bench.postman_collection.json" --env-var "$base" -r json --reporter-json-export "$work/newman.json")
read -r one_time one_rss < <(measure "$courier" test bench --collections "$work/c" --var "$base" --jobs 1 --no-history --quiet)
read -r eight_time eight_rss < <(measure "$courier" test bench --collections "$work/c" --var "$base" --jobs 8 --no-history --quiet)
read -r send_time _ < <(measure bash "$work/sends.sh")
per() { awk "BEGIN{printf \"%.3f\", $1 * 1000 / $2}"; }
printf '%-40s %7s s %8s ms/request %6s MB\n' "newman" "$n_time" "$(per "$n_time" "$requests")" "$((n_rss / 1024))"
printf '%-40s %7s s %8s ms/request %6s MB\n' "courier test --jobs 1" "$one_time" "$(per "$one_time" "$requests")" "$((one_rss / 1024))"
printf '%-40s %7s s %8s ms/request %6s MB\n' "courier test --jobs 8" "$eight_time" "$(per "$eight_time" "$requests")" "$((eight_rss / 1024))"
printf '%-40s %7s s %8s ms/request\n' "courier send, $sends processes" "$send_time" "$(per "$send_time" "$sends")"
read -r s1_time _ < <(measure "$courier" test slow --collections "$work/c" --var "$base" --jobs 1 --no-history --quiet)
read -r s8_time _ < <(measure "$courier" test slow --collections "$work/c" --var "$base" --jobs 8 --no-history --quiet)
printf '%-40s %7s s\n' "200 × 20 ms answers, --jobs 1" "$s1_time" "200 × 20 ms answers, --jobs 8" "$s8_time"
awk "BEGIN{printf \"newman / courier test --jobs 1: %.1fx the time; --jobs 1 / --jobs 8: %.1fx; a send process / a test request: %.1fx; slow answers, --jobs 1 / --jobs 8: %.1fx\n\", $n_time / $one_time, $one_time / $eight_time, ($send_time / $sends) / ($one_time / $requests), $s1_time / $s8_time}"
