"""Courier in a 160x45 pseudo-terminal, for the measuring scripts: start it on a directory,
read what it writes (the last 64 KiB kept in `window`), wait for text, read its memory."""
import fcntl, os, pty, select, struct, termios, time


class Tui:
    def __init__(self, courier, directory):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
            os.execv(courier, [courier, directory])
        self.window = b""

    def write(self, data):
        os.write(self.fd, data)

    def pump(self, timeout):
        """Reads what Courier wrote within `timeout` seconds; returns it."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        data = os.read(self.fd, 1 << 20)
        self.window = (self.window + data)[-(1 << 16):]
        return data

    def wait_for(self, marker, limit=30):
        """Waits until `marker` is written; how long that took."""
        started = time.perf_counter()
        seen = b""
        while marker not in seen:
            if time.perf_counter() - started > limit:
                raise SystemExit(f"never saw {marker!r}")
            seen = (seen + self.pump(0.05))[-(1 << 16):]
        return time.perf_counter() - started

    def rss_kb(self, field="VmRSS"):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1])
        return 0

    def stop(self):
        os.kill(self.pid, 15)
        os.waitpid(self.pid, 0)
