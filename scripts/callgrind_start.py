#!/usr/bin/env python3
"""Instruction counts of Courier's start-up, repeatable on a noisy machine: runs BIN (build it
with `cargo build --profile release-debug` for function names) under
`valgrind --tool=callgrind` in a 160x45 pseudo-terminal over DIR, waits for the first frame,
quits with Ctrl-Q, and leaves the profile in OUT for `callgrind_annotate --inclusive=yes OUT`.
Usage: callgrind_start.py BIN DIR OUT
"""
import fcntl, os, pty, select, struct, sys, tempfile, termios, time

binary, directory, out = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
    os.environ["COURIER_HOME"] = tempfile.mkdtemp()
    os.execvp("valgrind", ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                           binary, directory])
seen = b""
started = time.time()
while b"request" not in seen:
    if time.time() - started > 120:
        raise SystemExit("no first frame within 2 minutes")
    ready, _, _ = select.select([fd], [], [], 0.5)
    if ready:
        seen += os.read(fd, 65536)
os.write(fd, b"\x11")  # Ctrl-Q
while True:
    try:
        if not os.read(fd, 65536):
            break
    except OSError:
        break
os.waitpid(pid, 0)
print(f"profile in {out}")
