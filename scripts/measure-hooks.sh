#!/usr/bin/env bash
# What a hook costs a send: `courier send` of one request N times against the demo server,
# with no hook, a shell before_send hook, a Python one, and a template function (`hmac`) for
# comparison; mean wall time per send, and each one's cost over the plain send.
# Usage: scripts/measure-hooks.sh [N]   (release build: cargo build --release first)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50}
BIN=${BIN:-./target/release/courier}
work=$(mktemp -d)
trap 'kill $demo 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve-demo --port "$port" >/dev/null 2>&1 &
demo=$!
until curl -s "http://127.0.0.1:$port/" >/dev/null; do sleep 0.05; done
dir="$work/collections/hooks"
mkdir -p "$dir"
cat > "$dir/collection.json" <<JSON
{"courier": 1, "name": "Hooks", "allow_commands": true, "variables": {"base": "http://127.0.0.1:$port"}}
JSON
printf 'cat > /dev/null; printf %s\n' "'{\"headers\": {\"X-Hook\": \"sh\"}}'" > "$dir/hook.sh"
cat > "$dir/hook.py" <<'PY'
import json, sys
json.load(sys.stdin)
json.dump({"headers": {"X-Hook": "python"}}, sys.stdout)
PY
request() { # stem, extra JSON fields
  printf '{"courier": 1, "name": "%s", "method": "GET", "url": "{{base}}/status/204"%s}\n' "$1" "$2" > "$dir/$1.json"
}
request plain ''
request shell ', "hooks": [{"name": "h", "before_send": "sh hook.sh"}]'
request python ', "hooks": [{"name": "h", "before_send": "python3 hook.py"}]'
request hmac ', "headers": [{"name": "X-Sig", "value": "{{hmac '"'"'sha256'"'"' '"'"'k'"'"' '"'"'d'"'"'}}"}]'
export COURIER_HOME="$work/home"
python3 - "$BIN" "$work/collections" "$N" <<'PY'
import subprocess, sys, time
bin, collections, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def mean_ms(stem):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run([bin, "send", f"hooks/{stem}", "--collections", collections, "--no-history"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return sum(times) / n, times[n // 2]
results = {stem: mean_ms(stem) for stem in ["plain", "hmac", "shell", "python"]}
plain = results["plain"][0]
print(f"courier send, {n} runs each, mean (median) ms per send:")
for stem, (mean, median) in results.items():
    extra = "" if stem == "plain" else f"  (+{mean - plain:.1f} ms over plain)"
    print(f"  {stem:7} {mean:6.1f} ({median:5.1f}){extra}")
PY
