#!/usr/bin/env python3
"""Generate Examples/corpus/: the synthetic records `attune diff` runs rule changes over.

Everything here is SYNTHETIC: clients are pseudonyms (C-5001 ...), therapists T-11..T-16,
no notes. Unlike Examples/clinic (a story per client), the corpus is broad: 6 therapists,
96 clients, 26 weeks, with scores that wander across every cutoff and land on the cutoffs
themselves, ruptures of every type and resolution, missed sessions, gaps and episode ends,
so that moving a threshold or changing a condition shows up as findings added, removed or
changed. One YAML file per therapist. Deterministic (random.Random(17)).

Usage:
    python3 scripts/generate-diff-corpus.py       # (re)write Examples/corpus/
"""

import datetime as dt
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Examples", "corpus")
START = dt.date(2026, 6, 1)   # a Monday
WEEKS = 26
THERAPISTS = [f"T-{n}" for n in range(11, 17)]
CLIENTS_PER_THERAPIST = 16

WITHDRAWAL = ["avoidant-denial", "minimal-response", "abstract-communication", "avoidant-storytelling",
              "deferential-appeasing", "content-affect-split", "self-criticism-hopelessness"]
CONFRONTATION = ["complaint-about-therapist", "complaint-about-activities", "complaint-about-parameters",
                 "complaint-about-progress", "rejecting-intervention", "defending-self", "controlling-pressuring"]
TAGS = ["distancing", "unfocused", "topic-shift", "withdrawn", "homework-done", "crisis-plan-reviewed"]


def clamp(value, low, high):
    return max(low, min(high, value))


def client_records(rng, therapist, client):
    """One client's sessions: a weekly slot, a drifting course, and the odd rupture or miss."""
    records = []
    first_week = rng.randrange(0, 8)
    length = rng.randrange(6, WEEKS - first_week + 1)
    weekday = rng.randrange(0, 5)
    srs = rng.uniform(33, 40)
    ors = rng.uniform(12, 30)
    phq9 = rng.uniform(5, 20)
    gad7 = rng.uniform(3, 16)
    trend = rng.choice([-1.0, -0.5, 0.0, 0.5, 0.5, 1.0, 1.0, 1.0])   # improving (+) or worsening (-)
    miss_rate = rng.choice([0.02, 0.05, 0.1, 0.3])
    rupture_rate = rng.choice([0.0, 0.0, 0.05, 0.15])
    ending = rng.choice([None, None, "planned", "dropout", "referred"])
    session = 0
    for week in range(first_week, first_week + length):
        if rng.random() < 0.07:
            continue  # no appointment that week: gaps between sessions
        date = START + dt.timedelta(weeks=week, days=weekday)
        record = {"client": client, "therapist": therapist, "date": date.isoformat()}
        last = week == first_week + length - 1
        if rng.random() < miss_rate and not last:
            record["attendance"] = rng.choice(["no-show", "no-show", "late-cancel", "cancelled"])
        else:
            session += 1
            record["session"] = session
            record["attendance"] = "attended"
            srs = clamp(srs + rng.gauss(0, 1.0) + trend * 0.2, 20, 40)
            ors = clamp(ors + rng.gauss(0, 1.5) + trend * 0.8, 0, 40)
            phq9 = clamp(phq9 + rng.gauss(0, 1.0) - trend * 0.4, 0, 27)
            gad7 = clamp(gad7 + rng.gauss(0, 0.9) - trend * 0.4, 0, 21)
            measures = {}
            if rng.random() > 0.06:
                measures["srs"] = round(srs)
            if rng.random() > 0.04:
                measures["ors"] = round(ors, 1) if rng.random() < 0.5 else round(ors)
            if rng.random() > 0.1:
                measures["phq9"] = round(phq9)
                measures["phq9_i9"] = rng.choice([0] * 60 + [1, 1, 2, 3])
            if rng.random() > 0.1:
                measures["gad7"] = round(gad7)
            record["measures"] = measures
            if rng.random() < rupture_rate:
                kind = rng.choice(["withdrawal", "confrontation", "mixed"])
                pool = WITHDRAWAL if kind == "withdrawal" else CONFRONTATION if kind == "confrontation" else WITHDRAWAL + CONFRONTATION
                record["rupture"] = {
                    "type": kind,
                    "markers": sorted(rng.sample(pool, rng.choice([1, 1, 2]))),
                    "intensity": rng.randrange(1, 6),
                    "resolution": rng.choice(["none", "partial", "full"]),
                    "reported_by": rng.choice(["therapist", "client", "observer"]),
                }
            elif rng.random() < 0.1:
                record["repair"] = rng.choice(["partial", "full"])
            tags = sorted(set(rng.sample(TAGS, rng.choice([0, 0, 0, 1, 2]))))
            if tags:
                record["tags"] = tags
        if last and ending:
            record["episode_end"] = ending
        elif not last or rng.random() < 0.7:
            record["next_appointment"] = (date + dt.timedelta(weeks=1)).isoformat()
        records.append(record)
    return records


def scalar(value):
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def main():
    rng = random.Random(17)
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    number = 5001
    for therapist in THERAPISTS:
        records = []
        for _ in range(CLIENTS_PER_THERAPIST):
            records += client_records(rng, therapist, f"C-{number}")
            number += 1
        records.sort(key=lambda r: (r["date"], r["client"]))
        lines = [f"# Attune diff corpus - therapist {therapist}",
                 "# SYNTHETIC DATA: invented pseudonymous records; no real people.",
                 "# Generated by scripts/generate-diff-corpus.py - do not edit by hand, re-run the script.", ""]
        for record in records:
            lines.append("- " + "\n  ".join(f"{key}: {scalar(value)}" for key, value in record.items()))
        with open(os.path.join(OUT_DIR, f"{therapist}.yaml"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(lines) + "\n")
        total += len(records)
    print(f"wrote {len(THERAPISTS)} files to Examples/corpus/ ({total} records)")


if __name__ == "__main__":
    main()
