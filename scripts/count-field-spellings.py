#!/usr/bin/env python3
"""How many places spell each record field name as a string literal.

For each record field (and rupture field) name, counts the Swift files and lines under
Sources/ (the embedded default pack excluded: it is generated from the pack's YAML) where the
name appears as a whole string literal: "next_appointment", or dotted as in "rupture.type".
Prose inside a longer literal ("next_appointment is before ...") and comment lines (doc examples)
are not counted.

The names are listed here rather than read from the table in Swift on purpose: the script
measures how the table is used, and must give comparable numbers on commits before it existed.

Usage: scripts/count-field-spellings.py [-v] [SOURCES-DIR]   (default: Sources; -v lists the files)
"""

import pathlib
import re
import sys

RECORD_FIELDS = [
    "client", "therapist", "episode", "date", "session", "attendance", "measures", "rupture", "repair",
    "tags", "next_appointment", "episode_end", "notes",
]
RUPTURE_FIELDS = ["type", "markers", "intensity", "resolution", "reported_by"]
GENERATED = {"AttuneDefaultPack"}


def main() -> None:
    args = sys.argv[1:]
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    root = pathlib.Path(args[0] if args else "Sources")
    files = [p for p in sorted(root.rglob("*.swift")) if not GENERATED & set(p.parts)]
    texts = {p: p.read_text(encoding="utf-8").splitlines() for p in files}
    print(f"{'field':<22} {'files':>5} {'lines':>5}")
    for prefix, names in (("", RECORD_FIELDS), ("rupture.", RUPTURE_FIELDS)):
        for name in names:
            # A literal equal to the name, or to a dotted path ending in it ("rupture.type").
            pattern = re.compile(r'"(?:[a-z_]+\.)?' + re.escape(name) + r'"')
            hits = [
                (p, line)
                for p, lines in texts.items()
                for line in lines
                if pattern.search(line) and not line.lstrip().startswith("//")
            ]
            print(f"{prefix + name:<22} {len({p for p, _ in hits}):>5} {len(hits):>5}")
            if verbose:
                for path in sorted({p for p, _ in hits}):
                    print(f"    {path.relative_to(root)}")


if __name__ == "__main__":
    main()
