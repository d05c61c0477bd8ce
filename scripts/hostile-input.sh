#!/usr/bin/env bash
# Feeds hostile record files to `attune review --strict` and measures each run's wall time and
# peak memory with /usr/bin/time -v. Every hostile file must end in a located error (exit 2)
# within 5 s and 256 MB; the CRLF and BOM files must simply work (exit 0). Then the safety cases
# of scripts/hostile-safety.sh.
#
#   scripts/hostile-input.sh            # builds release into .build-input, then measures
#   ATTUNE=path/to/attune scripts/hostile-input.sh
set -euo pipefail
# A relative ATTUNE names a file from the caller's folder, which the cd below would lose.
if [[ -n "${ATTUNE:-}" && "$ATTUNE" == */* && "$ATTUNE" != /* ]]; then ATTUNE="$PWD/$ATTUNE"; fi
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no

if [[ -z "${ATTUNE:-}" ]]; then
    swift build -c release --scratch-path .build-input --product attune >/dev/null
    ATTUNE=.build-input/release/attune
fi
dir=.build-input/hostile
mkdir -p "$dir"

python3 - "$dir" <<'PY'
import os, random, sys
d = sys.argv[1]
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

record = "- client: C-1\n  therapist: T-1\n  date: 2026-11-24\n  attendance: attended\n"
# Billion laughs: nine levels of ten aliases each.
lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
for i in range(1, 10):
    p, c = chr(ord("a") + i - 1), chr(ord("a") + i)
    lines.append(f"{c}: &{c} [" + ",".join(["*" + p] * 10) + "]")
w("billion-laughs.yaml", record + "- " + "\n  ".join(lines) + "\n")
w("nested-brackets.yaml", "[" * 100_000 + "]" * 100_000 + "\n")
w("nested-brackets.json", "[" * 100_000 + "]" * 100_000 + "\n")
w("nested-brackets.jsonl", "[" * 100_000 + "]" * 100_000 + "\n")
big = "x" * (64 << 20)
w("big-scalar.yaml", record + "- client: " + big + "\n")
w("big-scalar-quoted.yaml", record + '- client: "' + big + '"\n')
w("big-scalar.json", '[{"client": "' + big + '"}]\n')
w("big-scalar.csv", "client,therapist,date,attendance\n" + big + ",T-1,2026-11-24,attended\n")
rng = random.Random(6)
noise = bytes(rng.getrandbits(8) for _ in range(4 << 20))
for ext in ("yaml", "json", "jsonl", "csv"):
    w("random." + ext, noise)
w("invalid-utf8.yaml", record.encode() + b"- client: C-\xff\xfe2\n  therapist: T-1\n")
w("invalid-utf8.json", b'[{"client": "C-\xc3\x28"}]\n')
w("invalid-utf8.csv", b"client,therapist,date,attendance\nC-\xe2\x28\xa1,T-1,2026-11-24,attended\n")
w("truncated.yaml", (record * 3)[:-30])
w("truncated.json", '[{"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "atte')
w("truncated.csv", 'client,therapist,date,attendance\nC-1,T-1,2026-11-24,"atte')
w("empty-documents.yaml", "---\n" * 1_000_000)
# Not in the issue's list, found while measuring: one record 64 MB wide, and a million bad records.
w("wide-record.yaml", "- client: C-1\n  tags: [" + "a," * (32 << 20) + "a]\n")
w("wide-record.json", '[{"client": "C-1", "tags": [' + "1," * (32 << 20) + "1]}]\n")
w("million-bad-records.yaml", "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: maybe}\n" * 1_000_000)
w("crlf.yaml", record.replace("\n", "\r\n"))
w("bom.yaml", b"\xef\xbb\xbf" + record.encode())
w("crlf-bom.json", b"\xef\xbb\xbf" + b'[\r\n{"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended"}\r\n]\r\n')
w("crlf-bom.csv", b"\xef\xbb\xbfclient,therapist,date,attendance\r\nC-1,T-1,2026-11-24,attended\r\n")
PY

printf '%-26s %5s %8s %9s  %s\n' file exit seconds "peak MB" "first error"
fail=0
for f in billion-laughs.yaml nested-brackets.yaml nested-brackets.json nested-brackets.jsonl \
         big-scalar.yaml big-scalar-quoted.yaml big-scalar.json big-scalar.csv \
         random.yaml random.json random.jsonl random.csv invalid-utf8.yaml invalid-utf8.json invalid-utf8.csv \
         truncated.yaml truncated.json truncated.csv empty-documents.yaml \
         wide-record.yaml wide-record.json million-bad-records.yaml crlf.yaml bom.yaml crlf-bom.json crlf-bom.csv; do
    set +e
    /usr/bin/time -v -o "$dir/$f.time" "$ATTUNE" review --no-default-rules --strict --format json --as-of 2026-11-29 "$dir/$f" \
        >"$dir/$f.out" 2>"$dir/$f.err"
    code=$?
    set -e
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$dir/$f.time")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/$f.time")
    first=$(head -c 110 "$dir/$f.err" | head -1)
    printf '%-26s %5s %8s %9.1f  %s\n' "$f" "$code" "$secs" "$(echo "$kb/1024" | bc -l)" "${first#"$dir/"}"
    case "$f" in
        crlf*|bom*) want=0 ;;
        *) want=2 ;;
    esac
    if [[ "$code" != "$want" ]] || awk -v s="$secs" -v limit="${HOSTILE_TIME_LIMIT:-5}" 'BEGIN {exit !(s >= limit)}' || (( kb > 256 * 1024 )); then
        echo "  FAIL: expected exit $want within ${HOSTILE_TIME_LIMIT:-5} s and 256 MB" >&2
        fail=1
    fi
done

# ---------------------------------------------------------------------------------------------
# Issue 12, items 7–14 (hangs, blow-ups, crashes): long values, standard input, FIFOs in record
# folders, rule chains and cycles, placeholders, CSV map overrides, errors across many files.
# Each command must end with its expected exit status within 5 s (HOSTILE_TIME_LIMIT: CI runs a
# debug build, some five times slower) and 256 MB.
limit=${HOSTILE_TIME_LIMIT:-5}
bounds=.build-input/hostile-bounds
rm -rf "$bounds"
mkdir -p "$bounds"
python3 - "$bounds" <<'PY'
import os, sys
d = sys.argv[1]
def w(name, data):
    path = os.path.join(d, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)
def rec(client="C-1", date="2026-11-24", extra=""):
    return f"- client: {client}\n  therapist: T-1\n  date: {date}\n  attendance: attended\n  measures: {{srs: 30}}\n{extra}"
# 7: three 320k-character client ids (an error past 100 characters); a 1 MB note, rendered.
w("long-ids.yaml", "".join(rec(client=c * 320_000, date=f"2026-11-2{i + 3}") for i, c in enumerate("abc")))
w("long-note.yaml", rec(extra="  notes: " + "x" * 1_000_000 + "\n"))
# 9: a records folder holding a FIFO (made below).
w("fifo-folder/a.yaml", rec())
# 11: a chain of 1,000 caseload rules (written against dependency order), a 20,000-rule cycle.
def pack(name, rules):
    w(f"{name}/pack.yaml", f"name: {name}\nversion: 1.0.0\n")
    w(f"{name}/rules.yaml", "".join(rules))
def caseload(i, reads):
    return f"- {{id: r{i}, title: R{i}, severity: low, kind: caseload, params: {{rules: [{reads}], at_least: 1}}, message: m}}\n"
base = "- {id: r0, title: R0, severity: low, kind: threshold, match: \"attendance == 'attended'\", message: m}\n"
pack("caseload-chain", [base] + [caseload(i, f"r{i - 1}") for i in range(1000, 0, -1)])
pack("caseload-cycle", [caseload(i, f"r{(i + 1) % 20_000}") for i in range(20_000)])
# 12: a message of 100,000 placeholders.
pack("placeholders", ["- {id: p, title: P, severity: low, kind: threshold, match: \"attendance == 'attended'\", message: \""
                      + "{client}" * 100_000 + "\"}\n"])
# A billion laughs in a rule module, where aliases are allowed up to an expansion budget: twelve
# levels of ten aliases (the time it takes was a wall-clock assertion in YAMLReaderTests).
pack("billion-laughs", ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
     + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 13)])
# 13: a CSV map of 10,000 overrides (refused), and of 1,000 on a 50,000-row export.
w("overrides.csv", "client,therapist,date,attendance,code\n"
  + "".join(f"C-{i},T-1,2026-11-{1 + i % 28:02d},attended,{i % 2000}\n" for i in range(50_000)))
columns = "columns: {client: client, therapist: therapist, date: date, attendance: attendance, code: ignore}\noverrides:\n"
w("overrides-10000.yaml", columns + "".join(f"  - {{when: {{code: \"{k}\"}}, set: {{attendance: cancelled}}}}\n" for k in range(10_000)))
w("overrides-1000.yaml", columns + "".join(f"  - {{when: {{code: \"{k}\"}}, set: {{attendance: cancelled}}}}\n" for k in range(1_000)))
# 14: 50 files of 999 bad records each (the issue had 1,000: 574 MB, a 205 MB JSON report).
bad = "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: maybe}\n" * 999
for i in range(50):
    w(f"many-bad/{i:04d}.yaml", bad)
w("many-bad/good.yaml", rec())  # so that there is a review to report the errors in
PY
mkfifo "$bounds/fifo-folder/b.yaml"

printf '\n%-26s %5s %8s %9s  %s\n' case exit seconds "peak MB" "first line of standard error"
bounds_case() {
    local name=$1 want=$2
    shift 2
    set +e
    /usr/bin/time -v -o "$bounds/$name.time" timeout 60 "$@" >"$bounds/$name.out" 2>"$bounds/$name.err"
    local code=$?
    set -e
    local secs kb first
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$bounds/$name.time")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$bounds/$name.time")
    first=$(head -c 110 "$bounds/$name.err" | head -1)
    printf '%-26s %5s %8s %9.1f  %s\n' "$name" "$code" "$secs" "$(echo "$kb/1024" | bc -l)" "${first#"$bounds/"}"
    if [[ "$code" != "$want" ]] || awk -v s="$secs" -v limit="$limit" 'BEGIN {exit !(s >= limit)}' || (( kb > 256 * 1024 )); then
        echo "  FAIL: expected exit $want within $limit s and 256 MB" >&2
        fail=1
    fi
}
review=("$ATTUNE" review --as-of 2026-11-29)
bounds_case long-ids 2 "${review[@]}" --strict "$bounds/long-ids.yaml"
bounds_case long-note 0 "${review[@]}" --include-notes "$bounds/long-note.yaml"
# 160 MB: read whole, as before, it cost over 300 MB.
bounds_case stdin-160MB 2 "${review[@]}" --strict --input-format json - < <(yes ' ' | head -c 160M)
bounds_case fifo-in-folder 0 "${review[@]}" "$bounds/fifo-folder"
bounds_case caseload-chain-lint 1 "$ATTUNE" lint "$bounds/caseload-chain"
bounds_case caseload-chain-review 2 "${review[@]}" --no-default-rules --rules "$bounds/caseload-chain" "$bounds/fifo-folder/a.yaml"
bounds_case caseload-cycle-lint 1 "$ATTUNE" lint "$bounds/caseload-cycle"
bounds_case placeholders-lint 1 "$ATTUNE" lint "$bounds/placeholders"
bounds_case billion-laughs-lint 1 "$ATTUNE" lint "$bounds/billion-laughs"
bounds_case csv-10000-overrides 2 "${review[@]}" --csv-map "$bounds/overrides-10000.yaml" "$bounds/overrides.csv"
bounds_case csv-1000-overrides 0 "${review[@]}" --no-default-rules --strict --format json --csv-map "$bounds/overrides-1000.yaml" "$bounds/overrides.csv"
bounds_case many-bad-files 0 "${review[@]}" --format json "$bounds/many-bad"
if ! grep -q '"errors_not_shown": 48950' "$bounds/many-bad-files.out"; then
    echo "  FAIL: many-bad-files: expected 48950 errors not shown" >&2
    fail=1
fi
# Issue 12's safety cases (items 1-6 and 15) live in their own script, run from here.
ATTUNE="$ATTUNE" scripts/hostile-safety.sh "$dir/safety" || fail=1
exit $fail
