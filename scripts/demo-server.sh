# Sourced by the measuring scripts: the release build ($courier, $here the repository), a
# scratch directory ($work, Courier's home inside it, removed on exit) and the demo server on
# a free loopback port ($port), answering before this returns.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
courier="$here/target/release/courier"
[ -x "$courier" ] || { echo "build first: cargo build --release" >&2; exit 1; }
work=$(mktemp -d)
export COURIER_HOME="$work/home"
port=$((20000 + RANDOM % 20000))
"$courier" serve-demo --port "$port" >/dev/null 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
    curl -s "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
    sleep 0.1
done
