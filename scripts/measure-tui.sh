#!/usr/bin/env bash
# End-to-end measurement of the TUI on a generated 1,000-request collection (release build):
#   1. start to first full frame: the event loop draws its first frame before it reads the
#      first key, so the time until a 'q' typed in advance ends the process is an upper bound
#      for start-up plus first frame (median of 20 runs, in a pseudo-terminal via `script`);
#   2. resident memory once idle (VmRSS after 2 s);
#   3. CPU time used over 10 idle seconds (utime + stime from /proc/PID/stat).
# Needs: script (util-linux), tmux. Usage: scripts/measure-tui.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin courier --example generate_collection
work=$(mktemp -d)
trap 'tmux kill-session -t courier-measure 2>/dev/null || true; rm -rf "$work"' EXIT
./target/release/examples/generate_collection "$work" >/dev/null
export COURIER_HOME="$work/home"

# Median wall time, in µs, of 20 runs of a command in a pseudo-terminal with 'q' typed ahead.
median_us() {
  local times=()
  for _ in $(seq 20); do
    local start end
    start=$(date +%s%N)
    printf q | script -qec "$1" /dev/null >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 10p
}
baseline=$(median_us true)
courier=$(median_us "./target/release/courier $work")
echo "start to first frame and quit, 1,000 requests: $((courier - baseline)) µs" \
  "(median $courier µs, less $baseline µs for \`script\` running \`true\`)"

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
