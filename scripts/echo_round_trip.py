"""Echo round trips through an interactive WebSocket client: starts COMMAND (which must
read lines from stdin and send each as a message, and print each message it receives),
sends `msg N` lines one at a time and waits for each echo to come out before the next.
Prints the median, 99th percentile and mean round trip in microseconds, and round trips
per second.

Usage: python3 echo_round_trip.py ROUNDS COMMAND [ARG...]
"""

import os
import statistics
import subprocess
import sys
import time


def main():
    rounds = int(sys.argv[1])
    client = subprocess.Popen(
        sys.argv[2:],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        bufsize=0,
    )
    out = client.stdout.fileno()
    seen = bytearray()

    def round_trip(text):
        wanted = text.encode() + b"\n"
        started = time.perf_counter()
        client.stdin.write(wanted)
        while True:
            at = seen.find(wanted)
            if at >= 0:
                del seen[: at + len(wanted)]
                return time.perf_counter() - started
            chunk = os.read(out, 65536)
            if not chunk:
                sys.exit(f"the client ended before echoing {text!r}")
            seen.extend(chunk)

    # The first round waits for the connection too; a few more warm up.
    for n in range(20):
        round_trip(f"warm {n}")
    times = [round_trip(f"msg {n}") for n in range(rounds)]
    client.stdin.close()
    try:
        client.wait(timeout=10)
    except subprocess.TimeoutExpired:
        client.kill()
    times_us = sorted(t * 1e6 for t in times)
    median = statistics.median(times_us)
    p99 = times_us[min(len(times_us) - 1, int(len(times_us) * 0.99))]
    mean = statistics.fmean(times_us)
    print(f"{median:.0f} {p99:.0f} {mean:.0f} {1e6 / mean:.0f}")


main()
