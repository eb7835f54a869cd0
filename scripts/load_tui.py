#!/usr/bin/env python3
"""A load run in the TUI, in a 160x45 pseudo-terminal, as a user would start it.

Opens the collections in DIR, finds the request named NAME, presses Ctrl-L and types SPEC
(`-c 50 -z 20s`), and while the run goes:
  - samples the resident memory (VmRSS) every 100 ms;
  - every 400 ms opens and closes the help screen (`?`, then Esc) and times how long each
    key takes to show on screen.
Stops when the status line says the run's time is up (SPEC gives a duration, -z) and prints
the key latencies (median and worst) and the peak memory.
Usage: load_tui.py COURIER DIR NAME SPEC
"""
import statistics, sys, time

from tui_pty import Tui

courier, directory, name, spec = sys.argv[1:5]
tui = Tui(courier, directory)
pump, wait_for, rss_kb, write = tui.pump, tui.wait_for, tui.rss_kb, tui.write

wait_for(b" requests")
write(b"\x10")            # Ctrl-P
write(name.encode())
time.sleep(0.2)
write(b"\r")
time.sleep(0.2)
write(b"\x0c")            # Ctrl-L
wait_for(b"Load: -c N")
write(b"\x15" + spec.encode() + b"\r")   # Ctrl-U, the spec, Enter
wait_for(b"running")
tui.window = b""
started = time.perf_counter()
latencies, peak_rss = [], 0
next_key = time.perf_counter() + 0.4
while b"time up" not in tui.window:
    pump(0.1)
    peak_rss = max(peak_rss, rss_kb())
    if time.perf_counter() >= next_key:
        sent = time.perf_counter()
        write(b"?")
        seen = b""
        while b"environment" not in seen:
            seen = (seen + pump(1))[-(1 << 16):]
            if time.perf_counter() - sent > 5:
                raise SystemExit("help never appeared")
        latencies.append((time.perf_counter() - sent) * 1000)
        write(b"\x1b")
        next_key = time.perf_counter() + 0.4
    if time.perf_counter() - started > 3600:
        raise SystemExit("the run did not end within an hour")
hwm = rss_kb("VmHWM")
tui.stop()
print(f"run over after {time.perf_counter() - started:.1f} s; peak memory {hwm // 1024} MB "
      f"(sampled VmRSS max {peak_rss // 1024} MB)")
print(f"key to screen while loading: median {statistics.median(latencies):.1f} ms, "
      f"worst {max(latencies):.1f} ms over {len(latencies)} keys")
