#!/usr/bin/env bash
# Feeds hostile record files to `attune review --strict` and measures each run's wall time and
# peak memory with /usr/bin/time -v. Every hostile file must end in a located error (exit 2)
# within 5 s and 256 MB; the CRLF and BOM files must simply work (exit 0).
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
    if [[ "$code" != "$want" ]] || awk -v s="$secs" 'BEGIN {exit !(s >= 5)}' || (( kb > 256 * 1024 )); then
        echo "  FAIL: expected exit $want within 5 s and 256 MB" >&2
        fail=1
    fi
done
exit $fail
