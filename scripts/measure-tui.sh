#!/usr/bin/env bash
# End-to-end measurement of the TUI on a generated 1,000-request collection in 50 folders
# (release build):
#   1. start to the first frame and to the whole tree: from exec until their bytes reach a
#      160x45 pseudo-terminal (scripts/first_frame.py; median of 20 runs), against the demo;
#   2. resident memory once idle (VmRSS after 2 s);
#   3. CPU time used over 10 idle seconds (utime + stime from /proc/PID/stat).
# Needs: python3, tmux. Usage: scripts/measure-tui.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin courier --example generate_collection
work=$(mktemp -d)
trap 'tmux kill-session -t courier-measure 2>/dev/null || true; rm -rf "$work"' EXIT
./target/release/examples/generate_collection "$work" 50 20 >/dev/null
export COURIER_HOME="$work/home"

echo "1,000 requests: $(python3 scripts/first_frame.py ./target/release/courier "$work" 20)"
echo "the demo:       $(python3 scripts/first_frame.py ./target/release/courier collections 20)"
empty=$(mktemp -d)
echo "no collections: $(python3 scripts/first_frame.py ./target/release/courier "$empty" 20)"
rmdir "$empty"

tmux new-session -d -s courier-measure -x 160 -y 45 "./target/release/courier $work"
sleep 2
pid=$(pgrep -f "^./target/release/courier $work" | head -1)
echo "measuring PID $pid: $(tr "\\0" " " < /proc/$pid/cmdline)"
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
sleep 10
after=$(ticks)
hz=$(getconf CLK_TCK)
echo "idle resident memory: $((rss / 1024)) MB (${rss} kB)"
echo "CPU time over 10 idle seconds: $(( (after - before) * 1000 / hz )) ms"
