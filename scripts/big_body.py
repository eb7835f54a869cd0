#!/usr/bin/env python3
"""Courier receiving one big response in a 160x45 pseudo-terminal, as a user would see it.

Opens the collection in DIR, finds the request named NAME, sends it (Ctrl-R), focuses the
response pane, and while the body streams in:
  - samples the resident memory (VmRSS) every 100 ms;
  - every 400 ms opens and closes the help screen (`?`, then Esc) and times how long each
    key takes to show on screen (until the help text's bytes arrive, or leave).
Stops when the status line shows FINISHED (a size such as "1.0 GB"), and prints the peak
memory (VmHWM), the key latencies (median and worst), how long the body took, and the CPU
time Courier used in the 2 s after (work still going once the status says complete).
Usage: big_body.py COURIER DIR NAME FINISHED
"""
import os, statistics, sys, time

from tui_pty import Tui

courier, directory, name, finished = sys.argv[1:5]
tui = Tui(courier, directory)
pid, fd = tui.pid, tui.fd
pump, wait_for, rss_kb = tui.pump, tui.wait_for, tui.rss_kb

wait_for(b" requests")
os.write(fd, b"\x10")            # Ctrl-P
os.write(fd, name.encode())
time.sleep(0.2)
os.write(fd, b"\r")
time.sleep(0.2)
started = time.perf_counter()
os.write(fd, b"\x12")            # Ctrl-R
os.write(fd, b"\t\t")            # focus the response pane
latencies, peak_rss = [], 0
next_key = time.perf_counter() + 0.4
done = False
while not done:
    data = pump(0.1)
    peak_rss = max(peak_rss, rss_kb())
    if finished.encode() in tui.window:
        done = True
        break
    if time.perf_counter() >= next_key:
        sent = time.perf_counter()
        os.write(fd, b"?")
        seen = b""
        # One word: a frame writes only the cells that changed, so the spaces of a longer
        # phrase may be skipped over rather than written.
        while b"soft-wrap" not in seen:
            seen = (seen + pump(1))[-(1 << 16):]
            if time.perf_counter() - sent > 5:
                raise SystemExit("help never appeared")
        latencies.append((time.perf_counter() - sent) * 1000)
        os.write(fd, b"\x1b")
        next_key = time.perf_counter() + 0.4
    if time.perf_counter() - started > 600:
        raise SystemExit("the body did not finish within 10 minutes")
elapsed = time.perf_counter() - started

def cpu_seconds():
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

# Work left once the body is on screen (a JSON check, say): when did Courier's CPU time stop
# growing? Sampled every 20 ms for 3 s, the screen read all along.
last_busy, cpu = elapsed, cpu_seconds()
quiet_until = time.perf_counter() + 3
while time.perf_counter() < quiet_until:
    pump(0.02)
    now_cpu = cpu_seconds()
    if now_cpu > cpu:
        cpu, last_busy = now_cpu, time.perf_counter() - started
hwm = rss_kb("VmHWM")
os.kill(pid, 15)
os.waitpid(pid, 0)
print(f"body done in {elapsed:.1f} s; peak memory {hwm // 1024} MB (sampled VmRSS max {peak_rss // 1024} MB); "
      f"all work done (CPU idle) at {last_busy:.2f} s")
if latencies:
    print(f"key to screen while streaming: median {statistics.median(latencies):.1f} ms, "
          f"worst {max(latencies):.1f} ms over {len(latencies)} keys")
