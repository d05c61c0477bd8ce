#!/usr/bin/env python3
"""Seeded generator of realistic synthetic session records, for benchmarks.

Clients have 6-20 weekly appointments with no-shows, cancellations, SRS/ORS/PHQ-9/GAD-7 scores
that drift plausibly, alliance ruptures (some repaired), bookings and episode ends, spread over
100 therapists. Everything is synthetic: pseudonyms only, no notes.

  python3 Benchmarks/generate.py --records 100000 --format yaml --out /tmp/100k.yaml
  python3 Benchmarks/generate.py --records 10000 --format jsonl --seed 7 --out -

With --trajectories, each client follows a labelled ORS trajectory class (improving 45%, slow 25%,
flat 15%, deteriorating 15%; improving and slow clients gain more the lower they start), and
--labels FILE writes `client,class` lines for validation (the records themselves carry no label).
Without it, the output is exactly what it was before the option existed.

Formats: yaml (block sequence, one mapping per record, as clinics export), json (array),
jsonl (one object a line), csv (header matching the record fields; measures as columns).
The same --records and --seed give the same records in every format.
"""
import argparse
import datetime
import json
import random
import sys

WITHDRAWAL = ["avoidant-denial", "minimal-response", "self-criticism-hopelessness", "abstract-communication",
              "avoidant-storytelling", "deferential-appeasing", "content-affect-split"]
CONFRONTATION = ["complaint-about-therapist", "complaint-about-activities", "complaint-about-parameters",
                 "complaint-about-progress", "rejecting-intervention", "defending-self", "controlling-pressuring"]
TAGS = ["distancing", "unfocused", "topic-shift", "withdrawn", "homework-done"]
CLASSES = [("improving", 0.45), ("slow", 0.25), ("flat", 0.15), ("deteriorating", 0.15)]


def ors_drift(label, ors0):
    """ORS points gained per attended session by a client of this class who started at ors0."""
    full = max(0.3, 0.25 + 0.08 * (30 - ors0))
    return {"improving": full, "slow": 0.35 * full, "flat": 0.0, "deteriorating": -0.5}[label]


def pick_class(rng):
    roll = rng.random()
    for label, share in CLASSES:
        if roll < share:
            return label
        roll -= share
    return CLASSES[-1][0]


def clamp(value, low, high):
    return max(low, min(high, value))


def generate(count, seed, therapists, trajectories=False, labels=None):
    rng = random.Random(seed)
    start = datetime.date(2026, 1, 5)
    records = []
    client_number = 0
    while len(records) < count:
        client_number += 1
        client = f"C-{client_number:06d}"
        therapist = f"T-{rng.randrange(therapists) + 1:03d}"
        length = rng.randint(6, 20)
        first_day = start + datetime.timedelta(days=rng.randrange(300))
        srs = rng.uniform(30, 39)
        ors = rng.uniform(12, 30)
        first_ors = ors
        phq9 = rng.uniform(5, 22)
        gad7 = rng.uniform(4, 18)
        improving = rng.random() < 0.7
        label = pick_class(rng) if trajectories else None
        if labels is not None:
            labels.append((client, label))
        open_rupture = False
        dropout = rng.random() < 0.2
        session = 0
        for k in range(length):
            if len(records) >= count:
                break
            day = first_day + datetime.timedelta(days=7 * k + rng.choice([0, 0, 0, 1, -1]))
            session += 1
            roll = rng.random()
            attendance = ("no-show" if roll < 0.08 else "late-cancel" if roll < 0.12
                          else "cancelled" if roll < 0.17 else "attended")
            record = {"client": client, "therapist": therapist, "date": day.isoformat(),
                      "session": session, "attendance": attendance}
            last = k == length - 1
            if attendance == "attended":
                drift = -0.6 if improving else 0.5
                if label is not None:
                    step = ors_drift(label, first_ors)
                    drift = -0.6 * step if step > 0 else 0.5 if step < 0 else 0.0
                srs = clamp(srs + rng.uniform(-1.5, 1.2), 10, 40)
                ors = clamp(ors + (step if label is not None else -drift) + rng.uniform(-1.5, 1.5), 0, 40)
                phq9 = clamp(phq9 + drift + rng.uniform(-1.5, 1.5), 0, 27)
                gad7 = clamp(gad7 + drift * 0.7 + rng.uniform(-1.2, 1.2), 0, 21)
                measures = {}
                if rng.random() < 0.92:
                    measures["srs"] = round(srs, 1)
                if rng.random() < 0.9:
                    measures["ors"] = round(ors, 1)
                if rng.random() < 0.7:
                    measures["phq9"] = int(round(phq9))
                    measures["phq9_i9"] = 1 if rng.random() < 0.02 else 0
                if rng.random() < 0.6:
                    measures["gad7"] = int(round(gad7))
                record["measures"] = measures
                if rng.random() < 0.15:
                    kind = rng.choice(["withdrawal", "withdrawal", "confrontation", "mixed"])
                    pool = WITHDRAWAL if kind == "withdrawal" else CONFRONTATION if kind == "confrontation" else WITHDRAWAL + CONFRONTATION
                    record["rupture"] = {"type": kind, "markers": rng.sample(pool, rng.randint(1, 2)),
                                         "intensity": rng.randint(1, 5),
                                         "resolution": rng.choice(["none", "partial", "full"])}
                    open_rupture = record["rupture"]["resolution"] != "full"
                elif open_rupture and rng.random() < 0.5:
                    record["repair"] = rng.choice(["partial", "full"])
                    open_rupture = record["repair"] != "full"
                if rng.random() < 0.2:
                    record["tags"] = rng.sample(TAGS, 1)
            if last:
                record["episode_end"] = "dropout" if dropout else rng.choice(["planned", "planned", "referred"])
            elif not (dropout and k >= length - 2) and rng.random() < 0.93:
                record["next_appointment"] = (day + datetime.timedelta(days=7)).isoformat()
            records.append(record)
    return records


def yaml_scalar(value):
    return str(value)


def write_yaml(records, out):
    out.write("# Synthetic benchmark records (Benchmarks/generate.py)\n")
    for r in records:
        out.write(f"- client: {r['client']}\n  therapist: {r['therapist']}\n  date: {r['date']}\n"
                  f"  session: {r['session']}\n  attendance: {r['attendance']}\n")
        if "measures" in r and r["measures"]:
            inner = ", ".join(f"{k}: {v}" for k, v in r["measures"].items())
            out.write(f"  measures: {{{inner}}}\n")
        if "rupture" in r:
            rp = r["rupture"]
            out.write(f"  rupture:\n    type: {rp['type']}\n    markers: [{', '.join(rp['markers'])}]\n"
                      f"    intensity: {rp['intensity']}\n    resolution: {rp['resolution']}\n")
        if "repair" in r:
            out.write(f"  repair: {r['repair']}\n")
        if "tags" in r:
            out.write(f"  tags: [{', '.join(r['tags'])}]\n")
        if "next_appointment" in r:
            out.write(f"  next_appointment: {r['next_appointment']}\n")
        if "episode_end" in r:
            out.write(f"  episode_end: {r['episode_end']}\n")


def write_csv(records, out):
    measures = ["srs", "ors", "phq9", "phq9_i9", "gad7"]
    columns = ["client", "therapist", "date", "session", "attendance"] + measures + [
        "rupture_type", "rupture_markers", "rupture_intensity", "rupture_resolution", "repair", "tags",
        "next_appointment", "episode_end"]
    out.write(",".join(columns) + "\r\n")
    for r in records:
        m = r.get("measures", {})
        rp = r.get("rupture", {})
        row = [r["client"], r["therapist"], r["date"], str(r["session"]), r["attendance"]]
        row += [str(m[name]) if name in m else "" for name in measures]
        row += [rp.get("type", ""), " ".join(rp.get("markers", [])), str(rp.get("intensity", "")),
                rp.get("resolution", ""), r.get("repair", ""), " ".join(r.get("tags", [])),
                r.get("next_appointment", ""), r.get("episode_end", "")]
        out.write(",".join(row) + "\r\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--format", choices=["yaml", "json", "jsonl", "csv"], default="yaml")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--therapists", type=int, default=100)
    parser.add_argument("--out", default="-")
    parser.add_argument("--trajectories", action="store_true", help="labelled ORS trajectory classes")
    parser.add_argument("--labels", help="with --trajectories: write client,class lines to this file")
    args = parser.parse_args()
    labels = [] if args.labels else None
    records = generate(args.records, args.seed, args.therapists, args.trajectories, labels)
    if args.labels:
        with open(args.labels, "w", encoding="utf-8") as out:
            out.write("client,class\n")
            for client, label in labels:
                out.write(f"{client},{label}\n")
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="")
    if args.format == "yaml":
        write_yaml(records, out)
    elif args.format == "json":
        out.write("[\n" + ",\n".join(json.dumps(r, separators=(",", ":")) for r in records) + "\n]\n")
    elif args.format == "jsonl":
        for r in records:
            out.write(json.dumps(r, separators=(",", ":")) + "\n")
    else:
        write_csv(records, out)
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
