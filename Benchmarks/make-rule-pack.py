#!/usr/bin/env python3
"""Writes a synthetic site pack of N rules (default 200) for the rule-count scaling benchmark.

The rules are variations of the default pack's kinds and conditions at other thresholds, so they
cost what real rules cost. Load it with --no-default-rules plus --rules rules (for the vocabulary)
or after the default pack.

  python3 Benchmarks/make-rule-pack.py --rules 200 --out /tmp/pack200
"""
import argparse
import os

TEMPLATES = [
    ("threshold", "where: attendance == 'attended'\nmatch: measures.srs < {a}", ""),
    ("threshold", "match: measures.phq9_i9 >= 1 and measures.phq9 >= {b}", ""),
    ("window", "where: attendance == 'attended'\nmatch: rupture.type == 'withdrawal' or overlaps(rupture.markers, withdrawal_markers) or 'distancing' in tags",
     "params: {{at_least: {k}, of_last: {n}}}"),
    ("streak", "match: attendance == 'no-show' or attendance == 'late-cancel'", "params: {{length: {k}}}"),
    ("change", "", "params: {{measure: srs, by: {d}, baseline: previous}}"),
    ("change", "", "params: {{measure: ors, by: {d}, baseline: first}}"),
    ("sequence", "where: attendance == 'attended'\nmatch: rupture.intensity >= {i} and rupture.resolution != 'full'\nuntil: repair == 'full'",
     "params: {{within_records: {k}, within_days: {days}}}"),
    ("streak", "where: attendance == 'attended'\nmatch: attended_n >= {k} and first.measures.ors < 25 and measures.ors <= first.measures.ors", "params: {{length: 1}}"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "pack.yaml"), "w") as f:
        f.write("name: bench-pack\nversion: 1.0.0\n")
    for i in range(args.rules):
        kind, body, params = TEMPLATES[i % len(TEMPLATES)]
        v = i // len(TEMPLATES)
        values = dict(a=30 + v % 8, b=10 + v % 10, k=2 + v % 3, n=4 + v % 3, d=3 + v % 5, i=2 + v % 3, days=14 + v % 14)
        text = (f"id: bench-{i:03d}\ntitle: Benchmark rule {i}\nseverity: low\nkind: {kind}\n"
                + (body.format(**values) + "\n" if body else "")
                + (params.format(**values) + "\n" if params else "")
                + "message: \"benchmark finding\"\n"
                + "guidance: Synthetic benchmark rule.\nreferences: [synthetic]\n"
                + "tests:\n  - name: nothing in nothing out\n    records: [{date: 2026-01-05, attendance: cancelled}]\n    expect: []\n")
        with open(os.path.join(args.out, f"bench-{i:03d}.yaml"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
