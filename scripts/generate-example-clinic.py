#!/usr/bin/env python3
"""Generate the synthetic Attune example clinic in Examples/clinic/.

Everything produced here is SYNTHETIC: clients are pseudonyms (C-1001 ...),
therapists are T-01..T-03, and the few free-text notes all start with
"Synthetic note:". No real people, names or contact data are involved.

The output mimics a clinic's weekly export: one YAML file per ISO week
(2026-W37.yaml ... 2026-W48.yaml), each a top-level sequence of session
records sorted by date, therapist, client; plus a short README.md.

Usage:
    python3 scripts/generate-example-clinic.py           # (re)write Examples/clinic/
    python3 scripts/generate-example-clinic.py --check   # validate, then run the built
                                                         # attune on the files and compare
                                                         # with the scripted stories

Standard library only; the YAML text is emitted by hand. The output is fully
deterministic (measure noise comes from random.Random(2026)). The check runs the
real engine (ATTUNE=path, or .build/debug/attune) rather than a second copy of
the rules, so it can never drift from the default pack.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
from collections import defaultdict

YEAR = 2026
FIRST_WEEK, LAST_WEEK = 37, 48
WEEKS = list(range(FIRST_WEEK, LAST_WEEK + 1))
AS_OF = dt.date.fromisocalendar(YEAR, LAST_WEEK, 7)  # Sunday 2026-11-29
START = dt.date.fromisocalendar(YEAR, FIRST_WEEK, 1)  # Monday 2026-09-07

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Examples", "clinic")
SCRIPT_REL = "scripts/generate-example-clinic.py"

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

FIELD_ORDER = ["client", "therapist", "episode", "date", "session", "attendance",
               "measures", "rupture", "repair", "tags", "next_appointment",
               "episode_end", "notes"]


def read_pack(path=os.path.join(ROOT, "rules", "pack.yaml")):
    """The default pack's constants (`name: {value: N, source: ...}`) and measures (`name: {...,
    range: [LO, HI], ...}`), read from rules/pack.yaml so that no cutoff or range is copied here.
    Only those two blocks' one-line flow mappings are read (standard library only, no YAML parser);
    a block that cannot be read stops the script rather than leaving a stale copy in use."""
    constants, measures, block = {}, {}, None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            top = re.match(r"^([a-z_]+):", line)
            if top:
                block = top.group(1)
                continue
            entry = re.match(r"^  ([a-z0-9_]+):\s*\{(.*)\}", line)
            if not entry:
                continue
            name, body = entry.groups()
            if block == "constants":
                value = re.search(r"value:\s*([-0-9.]+)", body)
                if value:
                    number = float(value.group(1))
                    constants[name] = int(number) if number.is_integer() else number
            elif block == "measures":
                bounds = re.search(r"range:\s*\[([-0-9.]+),\s*([-0-9.]+)\]", body)
                if bounds:
                    measures[name] = (int(float(bounds.group(1))), int(float(bounds.group(2))))
    if not constants or not measures:
        raise SystemExit(f"could not read the constants and measures of {path}")
    return constants, measures


CONSTANTS, MEASURE_RANGES = read_pack()
MEASURE_ORDER = list(MEASURE_RANGES)  # the pack's order, which records are written in

# --------------------------------------------------------------------------
# Story DSL
# --------------------------------------------------------------------------


def monday(week):
    return dt.date.fromisocalendar(YEAR, week, 1)


def A(week, srs=None, ors=None, phq9=None, gad7=None, i9=0, book=True, **kw):
    """An attended session in ISO week `week`.

    phq9_i9 is recorded whenever phq9 is (item 9 is part of the PHQ-9), unless
    i9=None: a total entered without its item 9.
    Extra measures (wai_sr, wai_bond, core10, oq45) go in via keyword.
    book: True -> next appointment one week later; a date -> that date;
          False -> nothing booked.
    """
    measures = {}
    for name, value in (("srs", srs), ("ors", ors), ("phq9", phq9)):
        if value is not None:
            measures[name] = value
    if phq9 is not None and i9 is not None:
        measures["phq9_i9"] = i9
    if gad7 is not None:
        measures["gad7"] = gad7
    for name in ("wai_sr", "wai_bond", "core10", "oq45"):
        if name in kw:
            measures[name] = kw.pop(name)
    return dict(week=week, attendance="attended", measures=measures, book=book, **kw)


def MISS(week, attendance, book=True, **kw):
    """A non-attended appointment (cancelled / late-cancel / no-show)."""
    return dict(week=week, attendance=attendance, book=book, **kw)


def R(type_, markers, intensity, resolution, reported_by="therapist"):
    """A rupture; intensity None: not recorded (the record leaves it out)."""
    rupture = dict(type=type_, markers=list(markers))
    if intensity is not None:
        rupture["intensity"] = intensity
    rupture.update(resolution=resolution, reported_by=reported_by)
    return rupture


def healthy(rng, weeks, ors, phq9, gad7, srs=38, extra_every=0, extra=None,
            overrides=None):
    """A steady/improving course: measure = start + slope * k (+ small noise).

    Noise is clamped so that it can never create a finding: srs stays between the
    pack's srs_cutoff and the top of its range (so it is never below the cutoff, and
    never drops by srs_drop), ors never falls below its first value, phq9/gad7 never
    rise above their first value.
    """
    srs_floor, srs_top = CONSTANTS["srs_cutoff"], MEASURE_RANGES["srs"][1]
    if srs_top - srs_floor >= CONSTANTS["srs_drop"]:
        raise SystemExit("srs_drop fits between srs_cutoff and the top of the SRS: healthy noise could fire alliance-drop")
    ors0, ors_slope = ors
    phq0, phq_slope = phq9
    gad0, gad_slope = gad7
    overrides = overrides or {}
    out = []
    for k, week in enumerate(weeks):
        if week in overrides and overrides[week].get("attendance", "attended") != "attended":
            out.append(dict(overrides[week], week=week))
            continue
        s = min(srs_top, max(srs_floor, srs + rng.choice((-1, 0, 0, 1))))
        o = ors0 if k == 0 else max(ors0 + 0.5, ors0 + ors_slope * k + rng.choice((-0.6, -0.3, 0, 0.3, 0.6)))
        o = round(min(40.0, o), 1)
        p = phq0 if k == 0 else min(phq0, max(0, round(phq0 + phq_slope * k + rng.choice((-1, 0, 0, 1)))))
        g = gad0 if k == 0 else min(gad0, max(0, round(gad0 + gad_slope * k + rng.choice((-1, 0, 0, 1)))))
        kwargs = {}
        if extra and extra_every and k % extra_every == 0:
            for name, (base, slope) in extra.items():
                lo, hi = MEASURE_RANGES[name]
                kwargs[name] = int(min(hi, max(lo, round(base + slope * k))))
        rec = A(week, srs=s, ors=o, phq9=p, gad7=g, **kwargs)
        if k % 3 == 2:
            rec["tags"] = ["homework-done"]
        rec.update(overrides.get(week, {}))
        out.append(rec)
    return out


def stories(rng):
    """The scripted caseload. Each client: metadata + list of episodes."""
    W = lambda a, b: list(range(a, b + 1))  # noqa: E731
    clients = []

    def add(client, therapist, weekday, story, expect, episodes):
        clients.append(dict(client=client, therapist=therapist, weekday=weekday,
                            story=story, expect=list(dict.fromkeys(expect)), episodes=episodes))

    # ------------------------------------------------------------------ T-01
    # Mostly healthy caseload, for contrast.
    add("C-1001", "T-01", 0,
        "Established client (from session 5), steady gains, strong alliance.",
        [], [dict(episode="1", start_session=5, sessions=healthy(
            rng, W(37, 48), ors=(28.0, 0.4), phq9=(8, -0.3), gad7=(7, -0.25), srs=38,
            extra_every=4, extra={"wai_sr": (50, 0.2)}))])

    add("C-1002", "T-01", 1,
        "New referral in W39 (low mood); improves week on week; one mild "
        "withdrawal rupture (avoidant storytelling) in W41 fully resolved in-session (intensity 2).",
        [], [dict(episode="1", start_session=1, sessions=healthy(
            rng, W(39, 48), ors=(18.0, 1.3), phq9=(14, -1.2), gad7=(12, -0.8), srs=38,
            overrides={41: dict(rupture=R("withdrawal", ["avoidant-storytelling"], 2, "full"),
                                notes="Synthetic note: client quiet after homework "
                                      "discussion; talked it through before the end.")}))])

    add("C-1003", "T-01", 2,
        "Maintenance phase (from session 10), mild symptoms, all measures steady.",
        [], [dict(episode="1", start_session=10, sessions=healthy(
            rng, W(37, 48), ors=(31.0, 0.15), phq9=(6, -0.15), gad7=(5, -0.1), srs=39))])

    add("C-1004", "T-01", 3,
        "Established client (from session 3); one cancellation with notice in W42, "
        "rebooked for the following week (cancellations are not missed sessions).",
        [], [dict(episode="1", start_session=3, sessions=healthy(
            rng, W(37, 48), ors=(26.5, 0.4), phq9=(9, -0.35), gad7=(8, -0.3), srs=37,
            overrides={42: dict(attendance="cancelled", book=True)}))])

    add("C-1005", "T-01", 4,
        "New client from W41 (anxiety); good alliance, ORS rising above cutoff.",
        [], [dict(episode="1", start_session=1, sessions=healthy(
            rng, W(41, 48), ors=(23.0, 1.0), phq9=(9, -0.5), gad7=(11, -0.7), srs=37,
            extra_every=4, extra={"wai_sr": (47, 0.5), "wai_bond": (16, 0.2)}))])

    add("C-1006", "T-01", 0,
        "Episode 1 ends as planned in W40; returns in W45 for episode 2. In W46 "
        "an SRS of 40 sits next to a deferential-appeasing withdrawal marker "
        "(possible masking); repaired in full in W48.",
        ["possible-masking"], [
            dict(episode="1", start_session=9, sessions=[
                A(37, srs=38, ors=30.5, phq9=6, gad7=5),
                A(38, srs=39, ors=31.0, phq9=5, gad7=5, tags=["homework-done"]),
                A(39, srs=39, ors=32.5, phq9=4, gad7=4),
                A(40, srs=39, ors=33.0, phq9=4, gad7=4, book=False, episode_end="planned"),
            ]),
            dict(episode="2", start_session=1, sessions=[
                A(45, srs=38, ors=19.0, phq9=13, gad7=10,
                  notes="Synthetic note: returning client after a stressful move; "
                        "new episode opened."),
                A(46, srs=40, ors=20.0, phq9=12, gad7=10,
                  rupture=R("withdrawal", ["deferential-appeasing"], 2, "partial", "observer")),
                A(47, srs=39, ors=21.0, phq9=12, gad7=9),
                A(48, srs=38, ors=23.0, phq9=11, gad7=9, repair="full"),
            ]),
        ])

    add("C-1007", "T-01", 2,
        "Confrontation rupture in W41 (complaint about progress, intensity 3, only "
        "partly resolved); SRS dips below cutoff; partial repair attempts W42-W43 "
        "do not finish it: two sessions pass without repair, so it is unresolved from W43; full repair in W48 "
        "closes it (good news).",
        ["alliance-below-cutoff", "alliance-drop", "unresolved-rupture"],
        [dict(episode="1", start_session=4, sessions=[
            A(37, srs=37, ors=26.0, phq9=9, gad7=8),
            A(38, srs=38, ors=26.0, phq9=9, gad7=8),
            A(39, srs=38, ors=27.0, phq9=8, gad7=7, tags=["homework-done"]),
            A(40, srs=38, ors=27.0, phq9=8, gad7=7, wai_sr=49),
            A(41, srs=33, ors=25.0, phq9=9, gad7=8,
              rupture=R("confrontation", ["complaint-about-progress",
                                          "complaint-about-activities"], 3, "partial"),
              notes="Synthetic note: client frustrated that nothing is changing; "
                    "therapist acknowledged, agreed to revisit goals."),
            A(42, srs=35, ors=25.5, phq9=9, gad7=8, repair="partial"),
            A(43, srs=35, ors=26.0, phq9=9, gad7=8, repair="partial"),
            A(44, srs=35, ors=26.0, phq9=9, gad7=7),
            A(45, srs=35, ors=26.5, phq9=8, gad7=7, wai_sr=44),
            A(46, srs=36, ors=27.0, phq9=8, gad7=7),
            A(47, srs=35, ors=27.0, phq9=8, gad7=7),
            A(48, srs=38, ors=28.0, phq9=7, gad7=6, repair="full",
              notes="Synthetic note: rupture revisited; revised goals agreed together."),
        ])])

    # ------------------------------------------------------------------ T-02
    # Rupture-heavy caseload (caseload-rupture-cluster in W48).
    add("C-1008", "T-02", 0,
        "Gradual withdrawal from W44: distancing/unfocused/withdrawn tags (noted, info) "
        "and three withdrawal ruptures W45-W47, the W46 one (self-criticism, intensity 3) "
        "with no repair attempt; SRS slides below cutoff. Repeated withdrawal from W47, "
        "still open.",
        ["alliance-below-cutoff", "repeated-distancing", "distancing-noted",
         "unresolved-rupture", "rupture-without-repair-attempt"],
        [dict(episode="1", start_session=8, sessions=[
            A(37, srs=38, ors=27.0, phq9=7, gad7=6),
            A(38, srs=38, ors=27.5, phq9=7, gad7=6),
            A(39, srs=37, ors=28.0, phq9=6, gad7=6, tags=["homework-done"]),
            A(40, srs=38, ors=28.0, phq9=6, gad7=5),
            A(41, srs=37, ors=27.5, phq9=7, gad7=6),
            A(42, srs=38, ors=28.0, phq9=6, gad7=5),
            A(43, srs=37, ors=27.0, phq9=7, gad7=6),
            A(44, srs=36, ors=26.0, phq9=8, gad7=6, tags=["distancing"]),
            A(45, srs=35, ors=25.0, phq9=8, gad7=7, tags=["distancing"],
              rupture=R("withdrawal", ["minimal-response", "avoidant-denial"], 2, "partial")),
            A(46, srs=35, ors=24.5, phq9=9, gad7=7, tags=["unfocused", "topic-shift"],
              rupture=R("withdrawal", ["self-criticism-hopelessness"], 3, "none")),
            A(47, srs=34, ors=24.0, phq9=9, gad7=7,
              rupture=R("withdrawal", ["abstract-communication"], 2, "partial", "client")),
            A(48, srs=34, ors=24.0, phq9=10, gad7=8, tags=["withdrawn"],
              notes="Synthetic note: client brief and flat; said 'fine' to most questions."),
        ])])

    add("C-1009", "T-02", 1,
        "Good course until confrontation ruptures in W47 (activities) and W48 "
        "(therapist, pressuring; intensity 3, still within its repair window). "
        "SRS 35 -> 30: alliance drop and repeated confrontation, new in W48. The W47 "
        "rupture's intensity was not recorded; W46's PHQ-9 total came without item 9.",
        ["alliance-below-cutoff", "alliance-drop", "repeated-confrontation", "missing-risk-item"],
        [dict(episode="1", start_session=2, sessions=[
            A(37, srs=37, ors=25.5, phq9=9, gad7=8),
            A(38, srs=38, ors=26.0, phq9=9, gad7=8),
            A(39, srs=37, ors=26.5, phq9=8, gad7=7),
            A(40, srs=38, ors=27.0, phq9=8, gad7=7, tags=["homework-done"]),
            A(41, srs=38, ors=27.0, phq9=7, gad7=7),
            A(42, srs=37, ors=27.5, phq9=7, gad7=6),
            A(43, srs=37, ors=28.0, phq9=7, gad7=6),
            A(44, srs=38, ors=28.0, phq9=6, gad7=6, tags=["homework-done"]),
            A(45, srs=37, ors=28.0, phq9=6, gad7=6),
            A(46, srs=37, ors=27.5, phq9=7, i9=None, gad7=6),
            A(47, srs=35, ors=27.0, phq9=7, gad7=7,
              rupture=R("confrontation", ["complaint-about-activities",
                                          "rejecting-intervention"], None, "partial")),
            A(48, srs=30, ors=26.0, phq9=8, gad7=7,
              rupture=R("confrontation", ["complaint-about-therapist",
                                          "controlling-pressuring"], 3, "partial", "client"),
              notes="Synthetic note: client asked for a different approach; "
                    "therapist to discuss in supervision."),
        ])])

    add("C-1010", "T-02", 2,
        "Mixed rupture in W42 after a session-time change (intensity 4, unresolved); "
        "no repair attempted, so unresolved and without a repair attempt from W44 (two "
        "sessions) and still open. SRS drops 7 points; ORS falls 5+ below baseline by W46.",
        ["alliance-below-cutoff", "alliance-drop", "unresolved-rupture",
         "rupture-without-repair-attempt", "outcome-deterioration"],
        [dict(episode="1", start_session=3, sessions=[
            A(37, srs=37, ors=27.0, phq9=8, gad7=7),
            A(38, srs=38, ors=27.5, phq9=8, gad7=7),
            A(39, srs=37, ors=28.0, phq9=7, gad7=7),
            A(40, srs=37, ors=27.0, phq9=8, gad7=7),
            A(41, srs=37, ors=26.0, phq9=8, gad7=8),
            A(42, srs=30, ors=24.0, phq9=10, gad7=9,
              rupture=R("mixed", ["complaint-about-parameters", "minimal-response"], 4, "none"),
              notes="Synthetic note: client upset about the changed session time; "
                    "went quiet for the rest of the hour."),
            A(43, srs=33, ors=23.5, phq9=10, gad7=9),
            A(44, srs=34, ors=23.0, phq9=11, gad7=9),
            A(45, srs=34, ors=22.5, phq9=11, gad7=10),
            A(46, srs=33, ors=21.5, phq9=12, gad7=10),
            A(47, srs=34, ors=22.0, phq9=12, gad7=10),
            A(48, srs=34, ors=21.5, phq9=12, gad7=10),
        ])])

    add("C-1011", "T-02", 3,
        "Started W37 (intake without a PHQ-9); moderate depression, baseline PHQ-9 16 "
        "first recorded in W38; improves only slowly (stalled from session 8). SRS "
        "forms not collected W41-W43.",
        ["stalled-progress", "missing-alliance-measure"],
        [dict(episode="1", start_session=1, sessions=[
            A(37, srs=37, ors=22.0, gad7=10, oq45=82),
            A(38, srs=37, ors=22.5, phq9=16, gad7=10),
            A(39, srs=38, ors=23.0, phq9=15, gad7=9),
            A(40, srs=37, ors=23.5, phq9=14, gad7=9),
            A(41, ors=24.0, phq9=14, gad7=9, oq45=78,
              notes="Synthetic note: SRS not collected, paper forms ran out."),
            A(42, ors=23.5, phq9=13, gad7=9),
            A(43, ors=24.0, phq9=14, gad7=9),
            A(44, srs=37, ors=24.5, phq9=13, gad7=8),
            A(45, srs=38, ors=24.0, phq9=12, gad7=8, oq45=75),
            A(46, srs=37, ors=25.0, phq9=13, gad7=8, tags=["homework-done"]),
            A(47, srs=38, ors=25.5, phq9=12, gad7=8),
            A(48, srs=37, ors=25.0, phq9=12, gad7=8),
        ])])

    add("C-1012", "T-02", 4,
        "Intake without an ORS; ORS stuck around its low baseline of 19.5 (first "
        "recorded W38; not on track from session 4); no-show in W43 then late "
        "cancellation in W44 (streak), back from W45; a withdrawal rupture in W45 "
        "(intensity 3) with no repair attempt.",
        ["unresolved-rupture", "rupture-without-repair-attempt", "not-on-track",
         "no-show-streak"],
        [dict(episode="1", start_session=1, sessions=[
            A(37, srs=37, phq9=9, gad7=8),
            A(38, srs=36, ors=19.5, phq9=9, gad7=8),
            A(39, srs=37, ors=21.0, phq9=9, gad7=8),
            A(40, srs=37, ors=19.0, phq9=9, gad7=8),
            A(41, srs=36, ors=20.0, phq9=9, gad7=8),
            A(42, srs=37, ors=18.5, phq9=10, gad7=9),
            MISS(43, "no-show"),
            MISS(44, "late-cancel"),
            A(45, srs=36, ors=19.5, phq9=10, gad7=8,
              rupture=R("withdrawal", ["minimal-response"], 3, "none", "client")),
            A(46, srs=37, ors=20.0, phq9=9, gad7=8),
            A(47, srs=37, ors=19.0, phq9=9, gad7=8),
            A(48, srs=36, ors=20.0, phq9=9, gad7=8),
        ])])

    add("C-1013", "T-02", 0,
        "Established client (from session 7), steady gains, strong alliance.",
        [], [dict(episode="1", start_session=7, sessions=healthy(
            rng, W(37, 48), ors=(27.0, 0.35), phq9=(8, -0.3), gad7=(7, -0.3), srs=38))])

    add("C-1014", "T-02", 1,
        "New in W38; steadily worsening mood and anxiety (OQ-45 up 16 by W44), ORS below baseline; in "
        "W44 PHQ-9 item 9 endorsed (1), crisis plan reviewed W44-W45; then slowly "
        "recovering but ORS still below its start.",
        ["outcome-deterioration", "phq9-deterioration", "gad7-deterioration",
         "oq45-deterioration", "not-on-track", "risk-item-endorsed"],
        [dict(episode="1", start_session=1, sessions=[
            A(38, srs=37, ors=24.0, phq9=9, gad7=9, oq45=70),
            A(39, srs=38, ors=23.0, phq9=10, gad7=10),
            A(40, srs=37, ors=22.5, phq9=10, gad7=10),
            A(41, srs=37, ors=21.0, phq9=12, gad7=11),
            A(42, srs=36, ors=20.0, phq9=13, gad7=12),
            A(43, srs=37, ors=19.0, phq9=14, gad7=12),
            A(44, srs=38, ors=17.5, phq9=16, i9=1, gad7=14, oq45=86, tags=["crisis-plan-reviewed"],
              notes="Synthetic note: item 9 endorsed; safety plan completed together."),
            A(45, srs=38, ors=18.5, phq9=15, gad7=13, tags=["crisis-plan-reviewed"]),
            A(46, srs=37, ors=19.5, phq9=14, gad7=13),
            A(47, srs=38, ors=20.0, phq9=13, gad7=12),
            A(48, srs=38, ors=21.0, phq9=12, gad7=11),
        ])])

    # ------------------------------------------------------------------ T-03
    # Dropout-heavy caseload (caseload-dropout-cluster in W48).
    add("C-1015", "T-03", 0,
        "Alliance fading (SRS 37 -> 34); last attended W42 (Mon 2026-10-12) with "
        "nothing booked ('will phone'), then silence: disengagement gap from W45.",
        ["alliance-below-cutoff", "disengagement-gap"],
        [dict(episode="1", start_session=4, sessions=[
            A(37, srs=37, ors=26.0, phq9=8, gad7=7, core10=14),
            A(38, srs=36, ors=26.5, phq9=8, gad7=7),
            A(39, srs=36, ors=26.0, phq9=9, gad7=7),
            A(40, srs=35, ors=25.0, phq9=9, gad7=8),
            A(41, srs=34, ors=24.5, phq9=10, gad7=8, core10=16),
            A(42, srs=35, ors=24.0, phq9=10, gad7=8, book=False,
              notes="Synthetic note: client said they would phone to rebook."),
        ])])

    add("C-1016", "T-03", 1,
        "New in W43 with low SRS (33), late cancellation W44 (early dropout risk), "
        "attended W45 with nothing booked, then no contact: gap from W48.",
        ["alliance-below-cutoff", "early-dropout-risk", "disengagement-gap"],
        [dict(episode="1", start_session=1, sessions=[
            A(43, srs=33, ors=17.0, phq9=14, gad7=12, core10=22),
            MISS(44, "late-cancel"),
            A(45, srs=35, ors=17.5, phq9=14, gad7=12, book=False),
        ])])

    add("C-1017", "T-03", 2,
        "New in W46; cancels W47 (rebooked), then no-show in W48 within the first "
        "five appointments: early dropout risk, new in W48.",
        ["early-dropout-risk"],
        [dict(episode="1", start_session=1, sessions=[
            A(46, srs=37, ors=21.0, phq9=13, gad7=11, core10=19),
            MISS(47, "cancelled"),
            MISS(48, "no-show", book=False),
        ])])

    add("C-1018", "T-03", 3,
        "Stable until a job-loss storyline in W46-W48; PHQ-9 rises 6 above baseline, "
        "CORE-10 6 above its baseline, and item 9 is endorsed in W48; crisis plan "
        "reviewed, next session brought forward.",
        ["phq9-deterioration", "core10-deterioration", "risk-item-endorsed"],
        [dict(episode="1", start_session=6, sessions=[
            A(37, srs=38, ors=27.0, phq9=9, gad7=8, core10=12),
            A(38, srs=37, ors=27.5, phq9=8, gad7=8),
            A(39, srs=38, ors=27.0, phq9=9, gad7=8),
            A(40, srs=38, ors=28.0, phq9=8, gad7=7, tags=["homework-done"]),
            A(41, srs=37, ors=27.5, phq9=9, gad7=8, core10=11),
            A(42, srs=38, ors=27.0, phq9=10, gad7=8),
            A(43, srs=37, ors=27.5, phq9=9, gad7=8),
            A(44, srs=38, ors=27.0, phq9=10, gad7=8),
            A(45, srs=38, ors=26.5, phq9=11, gad7=9, core10=15),
            A(46, srs=37, ors=25.5, phq9=12, gad7=9,
              notes="Synthetic note: storyline event - client's fictional employer closed."),
            A(47, srs=38, ors=24.5, phq9=13, gad7=10),
            A(48, srs=37, ors=23.0, phq9=15, i9=1, gad7=10, core10=18, tags=["crisis-plan-reviewed"],
              book=dt.date(2026, 11, 30),
              notes="Synthetic note: item 9 endorsed at 1; safety plan reviewed, "
                    "next session brought forward."),
        ])])

    add("C-1019", "T-03", 4,
        "Established client (from session 12), mild symptoms, steady.",
        [], [dict(episode="1", start_session=12, sessions=healthy(
            rng, W(37, 48), ors=(29.0, 0.25), phq9=(7, -0.2), gad7=(6, -0.2), srs=38,
            extra_every=4, extra={"core10": (11, -0.3)}))])

    add("C-1020", "T-03", 2,
        "New in W38 (panic symptoms); good alliance and clear improvement.",
        [], [dict(episode="1", start_session=1, sessions=healthy(
            rng, W(38, 48), ors=(22.0, 1.0), phq9=(9, -0.5), gad7=(14, -0.8), srs=37,
            extra_every=4, extra={"core10": (18, -0.8)}))])

    return clients


def build_records():
    rng = random.Random(2026)
    clients = stories(rng)
    records = []
    for c in clients:
        for ep in c["episodes"]:
            sessions = sorted(ep["sessions"], key=lambda s: s["week"])
            dates = [monday(s["week"]) + dt.timedelta(days=c["weekday"]) for s in sessions]
            for i, s in enumerate(sessions):
                rec = {"client": c["client"], "therapist": c["therapist"]}
                if ep["episode"] != "1":
                    rec["episode"] = ep["episode"]
                rec["date"] = dates[i]
                rec["session"] = ep["start_session"] + i
                rec["attendance"] = s["attendance"]
                if s["attendance"] == "attended" and s.get("measures"):
                    rec["measures"] = {k: s["measures"][k] for k in MEASURE_ORDER
                                       if k in s["measures"]}
                for key in ("rupture", "repair", "tags"):
                    if s.get(key):
                        rec[key] = s[key]
                book = s.get("book", True)
                if isinstance(book, dt.date):
                    rec["next_appointment"] = book
                elif book:
                    rec["next_appointment"] = dates[i] + dt.timedelta(days=7)
                if s.get("episode_end"):
                    rec["episode_end"] = s["episode_end"]
                if s.get("notes"):
                    rec["notes"] = s["notes"]
                records.append(rec)
    records.sort(key=lambda r: (r["date"], r["therapist"], r["client"], r.get("episode", "1")))
    return clients, records


# --------------------------------------------------------------------------
# YAML emission (hand-written; output is plain YAML 1.1/1.2 compatible)
# --------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def yscalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.1f}"
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v)
    if _PLAIN.match(s) and s.lower() not in _RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def yflow(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {yflow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(yflow(x) for x in v) + "]"
    return yscalar(v)


def render_week(week, recs):
    mon, sun = monday(week), monday(week) + dt.timedelta(days=6)
    lines = [
        f"# Attune example clinic export - ISO week {YEAR}-W{week:02d} "
        f"({mon.isoformat()} to {sun.isoformat()})",
        "# SYNTHETIC DATA: invented pseudonymous records (clients C-10xx, therapists T-0x).",
        "# No real people; notes are synthetic. Generated by",
        f"# {SCRIPT_REL} - do not edit by hand, re-run the script instead.",
    ]
    if not recs:
        return "\n".join(lines) + "\n[]\n"
    for rec in recs:
        lines.append("")
        first = True
        for key in FIELD_ORDER:
            if key not in rec:
                continue
            prefix = "- " if first else "  "
            first = False
            lines.append(f"{prefix}{key}: {yflow(rec[key])}")
    return "\n".join(lines) + "\n"


def iso_week(d):
    return d.isocalendar()[1]


def render_all(clients, records):
    files = {}
    by_week = defaultdict(list)
    for r in records:
        by_week[iso_week(r["date"])].append(r)
    for w in WEEKS:
        files[f"{YEAR}-W{w:02d}.yaml"] = render_week(w, by_week[w])
    files["README.md"] = render_readme(clients)
    return files


def render_readme(clients):
    rows = []
    for c in clients:
        eps = c["episodes"]
        first = min(s["week"] for e in eps for s in e["sessions"])
        last = max(s["week"] for e in eps for s in e["sessions"])
        rules = ", ".join(f"`{r}`" for r in c["expect"]) or "nothing to report"
        rows.append(f"| {c['client']} | {c['therapist']} | W{first}-W{last}: {c['story']} | {rules} |")
    return f"""# Example clinic (synthetic)

Twelve weeks (ISO weeks {YEAR}-W{FIRST_WEEK}..W{LAST_WEEK}, {START.isoformat()} to
{AS_OF.isoformat()}) of **synthetic** session records for a small clinic: 20 pseudonymous
clients (`C-1001`..`C-1020`) seen weekly by three therapists (`T-01`, `T-02`, `T-03`).
No real people are involved; the few `notes` are invented and start with "Synthetic note:".

The files look like a clinic's weekly export: one YAML file per ISO week
(`{YEAR}-W{FIRST_WEEK}.yaml` .. `{YEAR}-W{LAST_WEEK}.yaml`), each a sequence of session records
sorted by date, therapist and client. All records are valid; there are no deliberately
broken records here. The data is scripted so that every rule of the default pack fires at least
once, several of them newly in W{LAST_WEEK}, while T-01's caseload is mostly healthy for contrast.
T-02 carries a rupture cluster and T-03 a dropout cluster (both in W{LAST_WEEK}).

Regenerate (deterministic, standard library only) and self-check:

```sh
python3 {SCRIPT_REL}           # rewrites Examples/clinic/
python3 {SCRIPT_REL} --check   # runs the built attune on the files, compares with the stories
```

| Client | Therapist | Scripted story | Default rules it should trigger |
|---|---|---|---|
""" + "\n".join(rows) + f"""

Caseload rules: `caseload-rupture-cluster` fires for T-02 (C-1008, C-1010 and C-1012, three
of its seven active clients, have a rupture with no repair attempt open in W{LAST_WEEK}; C-1009's
repaired and partly repaired ruptures never count); `caseload-dropout-cluster` fires for T-03
(C-1015, C-1016 and C-1017, three of its six active clients, have open dropout findings in
W{LAST_WEEK}). C-1011's intake and C-1012's intake carry no PHQ-9 and no ORS respectively: their
baselines are the first values recorded.
"""


# --------------------------------------------------------------------------
# Self-check: validation, then the real engine against the scripted stories
# --------------------------------------------------------------------------


def validate(records):
    """What the stories promise beyond valid records: whether each record is valid (vocabulary,
    ranges, markers) is the engine's to say, and `check` requires it to report no record errors."""
    errors = []
    seen = set()
    for r in records:
        where = f"{r['client']} {r['date']}"
        key = (r["client"], r["date"])
        if key in seen:
            errors.append(f"{where}: duplicate")
        seen.add(key)
        if not re.fullmatch(r"C-1\d{3}", r["client"]):
            errors.append(f"{where}: bad client id")
        if r["therapist"] not in ("T-01", "T-02", "T-03"):
            errors.append(f"{where}: bad therapist")
        if not (START <= r["date"] <= AS_OF):
            errors.append(f"{where}: date outside window")
        if r.get("notes") and not r["notes"].startswith("Synthetic note:"):
            errors.append(f"{where}: notes must be obviously synthetic")
    for (client, ep), recs in episodes(records).items():
        for a, b in zip(recs, recs[1:]):
            if b["session"] != a["session"] + 1:
                errors.append(f"{client}/{ep}: session numbers not consecutive")
            if a.get("next_appointment") != b["date"]:
                errors.append(f"{client}/{ep} {a['date']}: next_appointment does not match next record")
            if a.get("episode_end"):
                errors.append(f"{client}/{ep}: records after episode_end")
        if len({r['therapist'] for r in recs}) != 1:
            errors.append(f"{client}/{ep}: therapist changes")
    return errors


def episodes(records):
    eps = defaultdict(list)
    for r in records:
        eps[(r["client"], r.get("episode", "1"))].append(r)
    for recs in eps.values():
        recs.sort(key=lambda r: r["date"])
    return dict(sorted(eps.items()))


def engine_findings(attune):
    """Every finding open at any time in the twelve weeks, from `attune review --format json`."""
    out = subprocess.run(
        [attune, "review", OUT_DIR, "--since", START.isoformat(), "--as-of", AS_OF.isoformat(),
         "--format", "json"], capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{attune} review failed ({out.returncode}):\n{out.stderr}")
    report = json.loads(out.stdout)
    return report["findings"], report["data_quality"], report["record_errors"]


def engine_rules(attune):
    """The default pack's rules as the engine loads them, in its order: (ids switched on, ids off).
    A rule off by default (one that waits for a clinic's own calibration) cannot fire here."""
    out = subprocess.run([attune, "rules", "--format", "json"], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{attune} rules failed ({out.returncode}):\n{out.stderr}")
    rules = json.loads(out.stdout)
    return [r["id"] for r in rules if r["enabled"]], [r["id"] for r in rules if not r["enabled"]]


def check(clients, records, files):
    problems = validate(records)
    if problems:
        print("VALIDATION ERRORS:\n  " + "\n  ".join(problems))
        return 1

    # Stale-output check: files on disk must equal what this script renders.
    stale = [n for n, text in files.items()
             if not os.path.exists(os.path.join(OUT_DIR, n))
             or open(os.path.join(OUT_DIR, n), encoding="utf-8").read() != text]
    extra = sorted(set(os.listdir(OUT_DIR)) - set(files)) if os.path.isdir(OUT_DIR) else []
    if stale or extra:
        print(f"files on disk are not what this script writes: {stale + extra}; run it without --check")
        return 1

    attune = os.environ.get("ATTUNE") or os.path.join(ROOT, ".build", "debug", "attune")
    if not os.path.exists(attune):
        print(f"no attune at {attune}: run `swift build` or set ATTUNE")
        return 1
    findings, quality, record_errors = engine_findings(attune)
    rule_ids, rules_off = engine_rules(attune)
    if record_errors:
        print("RECORD ERRORS (the engine rejects records this script wrote):\n  "
              + "\n  ".join(f"{e['file']}:{e['line']}: {e['message']}" for e in record_errors))
        return 1
    fired = defaultdict(set)
    clusters = defaultdict(set)
    w48_new = set()
    for f in findings:
        subject = f["subject"]
        if "client" in subject:
            fired[subject["client"]].add(f["rule"])
        else:
            clusters[f["rule"]].add(subject["therapist"])
        if f["opened"] >= monday(LAST_WEEK).isoformat():
            w48_new.add(f["rule"])

    failures = []
    print(f"Records: {len(records)} in {sum(n.endswith('.yaml') for n in files)} weekly files; "
          f"clients: {len(clients)}; as of {AS_OF}; engine: {os.path.relpath(attune, ROOT)}")
    print()
    print(f"{'client':7} {'ther':5} {'findings':100} scripted?")
    print("-" * 122)
    quiet = []
    for c in clients:
        got = fired.get(c["client"], set())
        ok = got == set(c["expect"])
        if not got:
            quiet.append(c["client"])
        if not ok:
            failures.append(f"{c['client']}: engine {sorted(got)} != scripted {sorted(c['expect'])}")
        shown = ", ".join(r for r in rule_ids if r in got) or "nothing to report"
        print(f"{c['client']:7} {c['therapist']:5} {shown:100} {'ok' if ok else 'MISMATCH'}")
    all_fired = set().union(*fired.values()) | set(clusters)
    unjudged = {u["rule"]: u["records"] for u in quality["unjudged"]}
    checks = [
        (f"every default rule switched on fires (silent: {sorted(set(rule_ids) - all_fired)}; off: {rules_off})",
         set(rule_ids) <= all_fired),
        (f">= 7 clients with nothing to report ({len(quiet)}: {', '.join(quiet)})", len(quiet) >= 7),
        (f"several rules new in W48 ({len(w48_new)})", len(w48_new) >= 4),
        (f"rupture cluster only for T-02 ({sorted(clusters['caseload-rupture-cluster'])})",
         clusters["caseload-rupture-cluster"] == {"T-02"}),
        (f"dropout cluster only for T-03 ({sorted(clusters['caseload-dropout-cluster'])})",
         clusters["caseload-dropout-cluster"] == {"T-03"}),
        ("a rupture without a recorded intensity is counted as not judged",
         unjudged.get("unresolved-rupture", 0) >= 1),
        ("client counts per therapist 7/7/6", [sum(c["therapist"] == t for c in clients)
                                               for t in ("T-01", "T-02", "T-03")] == [7, 7, 6]),
        ("one client with a second episode", sum(1 for r in records if r.get("episode") == "2") > 0),
    ]
    print()
    for label, ok in checks:
        print(f"[{'PASS' if ok else 'FAIL'}] {label}")
        if not ok:
            failures.append(label)
    if failures:
        print("\nFAILURES:\n  " + "\n  ".join(dict.fromkeys(failures)))
        return 1
    print("\nAll checks passed.")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="validate, run the built attune on the files and compare with the stories")
    args = ap.parse_args()
    clients, records = build_records()
    files = render_all(clients, records)
    if args.check:
        return check(clients, records, files)
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    print(f"wrote {len(files)} files to {os.path.relpath(OUT_DIR, ROOT)}/ ({len(records)} records)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
