#!/usr/bin/env python3
"""Time from exec to the first full frame of `courier DIR` in a 160x45 pseudo-terminal.

The first frame is drawn in one write; the title bar ("… N requests") is in it, so the time
until those bytes arrive is the time to the first frame. Prints the median of N runs, in ms.
Usage: first_frame.py COURIER DIR [RUNS]
"""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

def first_frame(courier, directory):
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        os.execv(courier, [courier, directory])
    seen = b""
    while b" requests" not in seen:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            raise SystemExit("no frame within 10 s")
        try:
            seen += os.read(fd, 1 << 16)
        except OSError:
            raise SystemExit("courier exited before drawing: " + seen.decode(errors="replace"))
    elapsed = time.perf_counter() - started
    os.kill(pid, 15)
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed * 1000

courier, directory = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
times = [first_frame(courier, directory) for _ in range(runs)]
print(f"{statistics.median(times):.1f} ms (median of {runs}; min {min(times):.1f}, max {max(times):.1f})")
