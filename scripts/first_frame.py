#!/usr/bin/env python3
"""Time from exec to the first frame and to the tree of `courier DIR` in a 160x45
pseudo-terminal.

The first frame is the first one with the title bar (`Courier · `): the loading screen when
the collections take a while, else the tree itself. The tree's frame has "… N requests" in its
title. Prints the median of N runs of each, in ms.
Usage: first_frame.py COURIER DIR [RUNS]
"""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

def timings(courier, directory):
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        os.execv(courier, [courier, directory])
    seen = b""
    first = None
    while b" requests" not in seen and b" request\x20" not in seen:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            raise SystemExit("no tree within 10 s")
        try:
            seen += os.read(fd, 1 << 16)
        except OSError:
            raise SystemExit("courier exited before drawing: " + seen.decode(errors="replace"))
        if first is None and "Courier · ".encode() in seen:
            first = time.perf_counter() - started
    tree = time.perf_counter() - started
    os.kill(pid, 15)
    os.waitpid(pid, 0)
    os.close(fd)
    return first * 1000, tree * 1000

def summary(times):
    return f"{statistics.median(times):.1f} ms (min {min(times):.1f}, max {max(times):.1f})"

courier, directory = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
results = [timings(courier, directory) for _ in range(runs)]
print(f"first frame {summary([f for f, _ in results])} · tree {summary([t for _, t in results])}"
      f" · median of {runs}")
