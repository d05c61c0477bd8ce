#!/usr/bin/env python3
"""Times a review and the libyaml floor in turn, round after round, and prints the median of
the per-round ratios.

On a shared machine the speed of the CPU drifts from one minute to the next by more than the
differences the targets ask about: hyperfine's median of one command, then the median of the
other, can compare a fast minute with a slow one (Benchmarks/run.sh has seen the same binary at
1.85x and 2.33x the floor ten minutes apart). Here each round runs the floor, then the review,
one right after the other, and the ratio of the two is taken within the round; the median of
those ratios is the figure that the minute's speed cancels out of.

    Benchmarks/in-turn.py --rounds 21 --floor /tmp/attune-bench/floor \\
        --file /tmp/attune-bench/records-100000.yaml -- .build/release/attune review \\
        /tmp/attune-bench/records-100000.yaml --format json --output /tmp/out.json --jobs 1

Prints one line of JSON: rounds, the medians of the review's and the floor's wall seconds, the
median per-round ratio and its quartiles, and the review's median CPU seconds (user + system).
A command that fails ends the run with its exit status.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def timed(command):
    """Wall and CPU seconds of one run of `command`, its output dropped."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"in-turn.py: {' '.join(command)} exited with {code}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted")
    parser.add_argument("--floor", required=True, help="the floor program (Benchmarks/floor.c)")
    parser.add_argument("--file", required=True, help="the YAML file the floor reads")
    parser.add_argument("review", nargs=argparse.REMAINDER, help="-- then the review's command")
    arguments = parser.parse_args()
    review = arguments.review[1:] if arguments.review[:1] == ["--"] else arguments.review
    if not review:
        parser.error("the review's command is missing (after --)")
    if arguments.rounds < 1:
        parser.error("--rounds must be at least 1")

    floor_command = [arguments.floor, arguments.file]
    for _ in range(arguments.warmup):
        timed(floor_command)
        timed(review)
    floors, reviews, cpus, ratios = [], [], [], []
    for _ in range(arguments.rounds):
        floor, _ = timed(floor_command)
        wall, cpu = timed(review)
        floors.append(floor)
        reviews.append(wall)
        cpus.append(cpu)
        ratios.append(wall / floor)
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
    print(json.dumps({
        "rounds": arguments.rounds,
        "review_median": statistics.median(reviews),
        "floor_median": statistics.median(floors),
        "ratio_median": statistics.median(ratios),
        "ratio_lower_quartile": quartiles[0],
        "ratio_upper_quartile": quartiles[2],
        "review_cpu_median": statistics.median(cpus),
    }))


if __name__ == "__main__":
    main()
