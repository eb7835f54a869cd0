#!/usr/bin/env bash
# A load run from the TUI (release build, 160x45 pseudo-terminal) against the demo server in
# the same process, the hardest case for the screen: scripts/load_tui.py selects Echo JSON,
# starts SPEC with Ctrl-L (default `-c 50 -z 20s`), opens the help screen every 400 ms and
# times each key to the screen, and samples memory until the run is over.
# Needs: python3. Usage: scripts/measure-load-tui.sh [SPEC]
set -euo pipefail
cd "$(dirname "$0")/.."
spec=${1:--c 50 -z 20s}
cargo build --profile ${PROFILE:-release} --quiet --bin courier
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r collections "$work/collections"
export COURIER_HOME="$work/home"
python3 scripts/load_tui.py ./target/${PROFILE:-release}/courier "$work/collections" "echo json" "$spec"
