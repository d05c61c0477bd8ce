#!/usr/bin/env python3
"""The supervision ledger's cost (issue 15): 52 weekly reviews of one records file recorded into
one ledger. Prints a Markdown table: the ledger's size after them, and the time `--ledger` adds
to a review — from the review's own phase timer (`--timings`, phase "ledger": opening the ledger,
the input digest, recording, reading the states) on every week, and from whole runs with and
without `--ledger` on every fourth week (wall and CPU time, interleaved so that load on a shared
machine falls on both alike).

  swift build -c release --product attune
  python3 Benchmarks/generate.py --records 100000 --format yaml --out /tmp/attune-bench/records-100000.yaml
  python3 Benchmarks/ledger.py --attune .build/release/attune --records /tmp/attune-bench/records-100000.yaml \
      --work /tmp/attune-bench/ledger
"""
import argparse
import datetime
import os
import resource
import sqlite3
import statistics
import subprocess
import time


def run(command):
    """Wall seconds, CPU seconds (user + system, children) and standard error of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stderr


def phase(stderr, name):
    for line in stderr.splitlines():
        parts = line.split()
        if parts and parts[0] == name:
            return float(parts[1])
    raise SystemExit(f"no '{name}' phase in --timings output:\n{stderr}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attune", required=True)
    parser.add_argument("--records", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--first-week", default="2026-W02")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--compare-every", type=int, default=4)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    ledger = os.path.join(args.work, "supervision.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(ledger + suffix):
            os.remove(ledger + suffix)
    output = os.path.join(args.work, "review.json")
    year, week = args.first_week.split("-W")
    monday = datetime.date.fromisocalendar(int(year), int(week), 1)

    phases, totals, paired = [], [], []
    for index in range(args.weeks):
        day = monday + datetime.timedelta(weeks=index)
        iso = day.isocalendar()
        name = f"{iso[0]}-W{iso[1]:02d}"
        review = [args.attune, "review", args.records, "--week", name, "--format", "json", "--output", output]
        without = run(review) if index % args.compare_every == 0 else None
        wall, cpu, stderr = run(review + ["--ledger", ledger, "--timings"])
        phases.append(phase(stderr, "ledger"))
        totals.append(phase(stderr, "total"))
        if without:
            paired.append((without[0], wall, without[1], cpu))

    connection = sqlite3.connect(ledger)
    counts = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("reviews", "findings", "finding_changes", "decisions")}
    connection.close()
    size = sum(os.path.getsize(ledger + s) for s in ("", "-wal") if os.path.exists(ledger + s))

    wall_without = statistics.median(p[0] for p in paired)
    wall_with = statistics.median(p[1] for p in paired)
    cpu_without = statistics.median(p[2] for p in paired)
    cpu_with = statistics.median(p[3] for p in paired)
    print(f"| measurement | value |")
    print(f"|---|---:|")
    print(f"| weekly reviews recorded | {counts['reviews']} |")
    print(f"| findings in the ledger | {counts['findings']:,} |")
    print(f"| finding changes recorded | {counts['finding_changes']:,} |")
    print(f"| ledger size after {counts['reviews']} reviews | {size / 1e6:.1f} MB ({size / counts['reviews'] / 1e3:.0f} kB a review) |")
    print(f"| `ledger` phase, median of {len(phases)} reviews (min–max) | {statistics.median(phases):.3f} s ({min(phases):.3f}–{max(phases):.3f}) |")
    print(f"| `ledger` phase / review total, median | {statistics.median(p / t for p, t in zip(phases, totals)) * 100:.1f} % |")
    print(f"| whole review, wall, median of {len(paired)} weeks: without / with `--ledger` | {wall_without:.3f} s / {wall_with:.3f} s "
          f"({(wall_with / wall_without - 1) * 100:+.1f} %) |")
    print(f"| whole review, CPU (user + system), same weeks: without / with | {cpu_without:.3f} s / {cpu_with:.3f} s "
          f"({(cpu_with / cpu_without - 1) * 100:+.1f} %) |")


if __name__ == "__main__":
    main()
