#!/usr/bin/env python3
"""py-streak: the built-in `streak` kind as an attune.kind/1 process plugin, in Python 3 with
the standard library only (docs/plugins.md, "Process plugins").

Attune starts it once per run, only with --allow-exec-plugins, in the pack folder, and writes one
JSON request per line on its standard input. The kind declares `batch: true`, so an evaluate
request holds up to 1,024 timelines: one line, one answer, for all of them. It answers each
request with exactly one JSON line on its standard output, flushed at once (Attune waits for the
line). What it prints on standard error shows in Attune's, prefixed with "plugin py-streak:".
When its input ends, the run is over.
"""

import gc
import json
import sys

PROTOCOL = "attune.kind/1"

DECLARATION = {
    "protocol": PROTOCOL,
    "kinds": [
        {
            "name": "py-streak",
            "summary": "L consecutive records match; closes when a record breaks the run "
            "(the built-in streak, as a Python process plugin).",
            "details": "Opens at the length-th consecutive matching record and closes at the first "
            "record after it that does not match; its evidence is the run.",
            "scope": "timeline",
            # Each record comes with its index, date and evaluated expressions only.
            "reads": ["date"],
            # Many timelines per request: one pipe round trip for up to 1,024 of them.
            "batch": True,
            # Each timeline's records as one list per field rather than an object per record:
            # far less JSON to parse.
            "record_layout": "columns",
            "params": [
                {
                    "name": "length",
                    "type": "integer",
                    "min": 1,
                    "max": 1000,
                    "doc": "How many consecutive matching records open the finding (L)",
                }
            ],
            "expressions": [
                {"name": "match", "required": True, "doc": "The condition the kind looks for in each record"}
            ],
            "branches": [
                {"name": "opens", "doc": "a run of matching records reaches the length", "param": "length"},
                {"name": "falls short", "doc": "a run of matching records ends before the length", "param": "length"},
                {"name": "closes", "doc": "an open run ends on a record that does not match"},
            ],
            "placeholders": [
                {"name": "length", "doc": "the param length"},
                {"name": "count", "doc": "how many consecutive records have matched"},
            ],
            "examples": [
                {
                    "name": "opens at the second in a row and closes at the first break",
                    "rule": "match: attendance == 'no-show'\nparams: {length: 2}",
                    "records": "- {date: 2026-01-05, attendance: attended}\n"
                    "- {date: 2026-01-12, attendance: no-show}\n"
                    "- {date: 2026-01-19, attendance: no-show}\n"
                    "- {date: 2026-01-26, attendance: no-show}\n"
                    "- {date: 2026-02-02, attendance: attended}\n",
                    "expect": [{"opened": "2026-01-19", "closed": "2026-02-02"}],
                },
                {
                    "name": "a broken run is a near miss",
                    "rule": "match: attendance == 'no-show'\nparams: {length: 2}",
                    "records": "- {date: 2026-01-05, attendance: no-show}\n"
                    "- {date: 2026-01-12, attendance: attended}\n"
                    "- {date: 2026-01-19, attendance: no-show}\n",
                    "expect": [],
                },
            ],
        }
    ],
}


def finding(opened, closed, run, length):
    return {"opened": opened, "closed": closed, "evidence": run, "values": {"length": length, "count": len(run)}}


def evaluate(length, counts_branches, timeline):
    """One timeline: the records passing the rule's `where`, each with `match` evaluated by Attune."""
    findings = []
    # The branches taken, reported for `attune test --coverage`.
    taken = set()
    run = []
    opened = None
    records = timeline["records"]
    for index, date, match in zip(records["index"], records["date"], records["expressions"]["match"]):
        if match:
            run.append(index)
            if opened is None and len(run) >= length:
                opened = date
                taken.add("opens")
        else:
            if opened is not None:
                findings.append(finding(opened, date, run, length))
                taken.add("closes")
            elif run:
                taken.add("falls short")
            opened = None
            run = []
    if opened is not None:
        findings.append(finding(opened, None, run, length))
    elif run:
        taken.add("falls short")
    answer = {"findings": findings}
    # Branches are counted only by `attune test --coverage`, which says so with "coverage": true.
    if counts_branches:
        answer["branches"] = sorted(taken)
    return answer


def answer_timeline(length, counts_branches, timeline):
    try:
        return evaluate(length, counts_branches, timeline)
    except (KeyError, TypeError, ValueError) as error:
        # This timeline alone is shown as an evaluation error, naming the plugin and the rule.
        return {"error": f"cannot read the timeline: {error!r}"}


def answer(request):
    kind = request.get("type")
    if kind == "declare":
        return DECLARATION
    if kind == "evaluate":
        length = request["params"]["length"]
        counts_branches = request.get("coverage", False)
        return {"results": [answer_timeline(length, counts_branches, t) for t in request["timelines"]]}
    return {"error": f"unknown request type {kind!r}"}


def main():
    # A request's JSON makes many objects and no cycles: the collector would only slow parsing.
    gc.disable()
    for line in sys.stdin.buffer:
        try:
            response = answer(json.loads(line))
        except (KeyError, TypeError, ValueError) as error:
            # Attune shows the error as an evaluation error naming the plugin and the rule.
            response = {"error": f"cannot read the request: {error!r}"}
        sys.stdout.write(json.dumps(response, separators=(",", ":")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
