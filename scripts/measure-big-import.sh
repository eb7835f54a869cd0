#!/usr/bin/env bash
# A 50 MB Postman collection imported end to end: wall time and peak memory of
# `courier import` (read, every field, the loss report, 4 files per request written, staged
# and renamed), best of RUNS (default 3). The collection: 10,000 requests in 100 folders, each
# with headers, a query, a 2.5 KB JSON body and a saved response of the same size.
# Needs a release build (cargo build --release).
#
# Usage: scripts/measure-big-import.sh [RUNS]
set -euo pipefail

runs=${1:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
courier="$here/target/release/courier"
[ -x "$courier" ] || { echo "build first: cargo build --release" >&2; exit 1; }
# On tmpfs when there is one: ext4 slows inode allocation right after many deletes
# ("recently_deleted"), which would measure the filesystem, not Courier.
work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - > "$work/big.postman_collection.json" <<'EOF'
import json
body = json.dumps({"items": [{"id": i, "name": "item %d" % i, "tags": ["a", "b"]} for i in range(38)]})
folders = []
for f in range(100):
    requests = []
    for r in range(100):
        requests.append({
            "name": "Request %d-%d" % (f, r),
            "request": {
                "method": "POST",
                "header": [{"key": "Accept", "value": "application/json"}, {"key": "X-Trace", "value": "{{trace}}"}],
                "url": {"raw": "{{base}}/items/%d?page=%d" % (r, f), "host": ["{{base}}"], "path": ["items", str(r)],
                        "query": [{"key": "page", "value": str(f)}]},
                "body": {"mode": "raw", "raw": body, "options": {"raw": {"language": "json"}}},
            },
            "response": [{"name": "OK", "code": 200, "header": [{"key": "Content-Type", "value": "application/json"}], "body": body}],
        })
    folders.append({"name": "Folder %d" % f, "item": requests})
print(json.dumps({"info": {"name": "Big", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
                  "variable": [{"key": "base", "value": "http://127.0.0.1:8808"}], "item": folders}))
EOF

size=$(du -m "$work/big.postman_collection.json" | cut -f1)
best="" rss=""
for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/time" "$courier" import "$work/big.postman_collection.json" --into "$work/out" >/dev/null
    read -r seconds kb < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then best=$seconds; rss=$kb; fi
done
files=$(find "$work/out" -type f | wc -l)
echo "courier import of a ${size} MB Postman collection (10,000 requests, $files files written): best of $runs: ${best} s, peak ${rss} KB"
