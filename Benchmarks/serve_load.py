#!/usr/bin/env python3
"""A small, bounded load on `attune serve`, on loopback only: N concurrent clients (threads, one
keep-alive connection each) fetch one page for a fixed number of seconds; prints requests,
throughput and latency percentiles. Each page is fetched once first (not timed), so the week's
review is built and recorded before the clock starts.

  python3 Benchmarks/serve_load.py --port 8080 --path "/?week=2026-W48" --clients 50 --seconds 10
"""
import argparse
import http.client
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    options = parser.parse_args()
    if options.clients > 200 or options.seconds > 60:
        raise SystemExit("kept small on purpose: at most 200 clients and 60 seconds")

    warm = http.client.HTTPConnection("127.0.0.1", options.port, timeout=600)
    warm.request("GET", options.path)
    response = warm.getresponse()
    size = len(response.read())
    if response.status != 200:
        raise SystemExit("GET %s: %d" % (options.path, response.status))

    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + options.seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=60)
        mine = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                connection.request("GET", options.path)
                reply = connection.getresponse()
                reply.read()
                ok = reply.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=60)
            if ok:
                mine.append(time.perf_counter() - start)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(options.clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else float("nan")

    print("%s: %d bytes, %d clients, %.1f s: %d requests (%.1f/s), %d errors, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms"
          % (options.path, size, options.clients, elapsed, len(latencies), len(latencies) / elapsed, errors[0],
             percentile(50), percentile(95), percentile(99), latencies[-1] * 1000 if latencies else float("nan")))


if __name__ == "__main__":
    main()
