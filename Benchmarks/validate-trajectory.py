#!/usr/bin/env python3
"""Validation of off-expected-trajectory (and not-on-track, for comparison) on labelled synthetic data.

Calibrates on one seed's history and evaluates on another seed's clients, whose ORS trajectory
class (improving, slow, flat, deteriorating) the generator records separately. For each attended
session number, a client counts as flagged when a finding of the rule is open on the date of that
session. Sensitivity: flagged flat (or deteriorating) clients among those who reached the session.
Specificity: unflagged improving and slow clients among those who reached it.

  python3 Benchmarks/validate-trajectory.py --attune .build/debug/attune
  python3 Benchmarks/validate-trajectory.py --attune .build/debug/attune --calibration-seed 11 --evaluation-seed 12

Prints a Markdown table (docs/expected-response.md holds the latest one). Needs python3 only.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = ["off-expected-trajectory", "not-on-track"]


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attune", required=True, help="the attune binary")
    parser.add_argument("--calibration-seed", type=int, default=11)
    parser.add_argument("--evaluation-seed", type=int, default=12)
    parser.add_argument("--calibration-records", type=int, default=40000)
    parser.add_argument("--evaluation-records", type=int, default=40000)
    parser.add_argument("--sessions", default="3,4,5,6,8,10")
    parser.add_argument("--work", default=None, help="folder for the generated files (default: a new temporary one)")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="attune-validate-")
    os.makedirs(work, exist_ok=True)
    generate = os.path.join(HERE, "generate.py")

    history = os.path.join(work, "history.jsonl")
    run([sys.executable, generate, "--records", str(args.calibration_records), "--seed", str(args.calibration_seed),
         "--trajectories", "--format", "jsonl", "--out", history])
    pack = os.path.join(work, "site")
    os.makedirs(os.path.join(pack, "expected"), exist_ok=True)
    with open(os.path.join(pack, "pack.yaml"), "w") as out:
        out.write("name: validation\nversion: 0.1.0\n")
    calibrated = run([args.attune, "calibrate", history, "--measure", "ors", "--out", os.path.join(pack, "expected", "ors.yaml")])
    if calibrated.returncode != 0:
        sys.exit(calibrated.stderr)

    evaluation = os.path.join(work, "evaluation.jsonl")
    labels_file = os.path.join(work, "labels.csv")
    run([sys.executable, generate, "--records", str(args.evaluation_records), "--seed", str(args.evaluation_seed),
         "--trajectories", "--labels", labels_file, "--format", "jsonl", "--out", evaluation])
    labels = {}
    with open(labels_file) as lines:
        next(lines)
        for line in lines:
            client, label = line.strip().split(",")
            labels[client] = label

    # Attended session dates per client, in order (one episode per client in the generator).
    attended = collections.defaultdict(list)
    last_date = ""
    with open(evaluation) as lines:
        for line in lines:
            record = json.loads(line)
            last_date = max(last_date, record["date"])
            if record["attendance"] == "attended":
                attended[record["client"]].append(record["date"])
    for dates in attended.values():
        dates.sort()

    report_file = os.path.join(work, "review.json")
    run([args.attune, "review", evaluation, "--rules", pack, "--since", "2020-01-01", "--as-of", last_date,
         "--format", "json", "--output", report_file])
    with open(report_file) as source:
        report = json.load(source)
    findings = collections.defaultdict(list)
    for finding in report["findings"]:
        if finding["rule"] in RULES:
            findings[(finding["rule"], finding["subject"]["client"])].append((finding["opened"], finding["closed"]))

    def flagged(rule, client, date):
        return any(opened <= date and (closed is None or closed > date) for opened, closed in findings[(rule, client)])

    sessions = [int(s) for s in args.sessions.split(",")]
    counts = collections.Counter(labels.values())
    print(f"Calibration: seed {args.calibration_seed}, {args.calibration_records} records "
          f"({calibrated.stdout.strip()}). Evaluation: seed {args.evaluation_seed}, {args.evaluation_records} records, "
          f"{len(labels)} clients ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}).\n")
    print("| rule | session | reached (flat / det. / impr.+slow) | sensitivity flat | sensitivity deteriorating | specificity (improving + slow) |")
    print("|---|---:|---|---:|---:|---:|")
    for rule in RULES:
        for session in sessions:
            reached = {label: [c for c, l in labels.items() if l == label and len(attended[c]) >= session]
                       for label in ("flat", "deteriorating", "improving", "slow")}

            def share(clients, want):
                if not clients:
                    return "–"
                hits = sum(1 for c in clients if flagged(rule, c, attended[c][session - 1]) == want)
                return f"{100 * hits / len(clients):.0f}%"

            negatives = reached["improving"] + reached["slow"]
            print(f"| `{rule}` | {session} | {len(reached['flat'])} / {len(reached['deteriorating'])} / {len(negatives)} | "
                  f"{share(reached['flat'], True)} | {share(reached['deteriorating'], True)} | {share(negatives, False)} |")


if __name__ == "__main__":
    main()
