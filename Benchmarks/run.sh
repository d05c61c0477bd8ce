#!/usr/bin/env bash
# Benchmarks for `attune review`: whole runs timed with hyperfine against the libyaml floor
# (Benchmarks/floor.c: load the file, pull every event, nothing else), on the same file, in the
# same run. Prints Markdown tables (BENCHMARKS.md holds the latest): hyperfine's medians of each
# command; the review and the floor timed in turn, round by round (Benchmarks/in-turn.py), which a
# shared machine's drifting speed disturbs far less; and, up to 100k records, instruction counts
# from callgrind, which it does not disturb at all.
#
#   Benchmarks/run.sh                 # 10k, 100k and 1M records (takes a while)
#   SIZES="10000 100000" Benchmarks/run.sh
#   ROUNDS_IN_TURN=31 INSTRUCTIONS=0 Benchmarks/run.sh   # more rounds in turn; no callgrind
#
# Needs: hyperfine (apt-get install hyperfine), valgrind (for the instruction counts), a C
# compiler, pkg-config yaml-0.1, python3, and what the build needs (README: the headers of
# libyaml, SQLite and mimalloc).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=${WORK:-/tmp/attune-bench}
SIZES=${SIZES:-"10000 100000 1000000"}
RUNS=${RUNS:-5}
mkdir -p "$WORK"
# The synthetic records run to 2027-03-13: review them as of a day after that, or every later
# session is an error ("after today") and the run measures the error path, not a review.
export ATTUNE_TODAY=${ATTUNE_TODAY:-2028-01-01}

command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 2; }

echo "building release binaries…" >&2
# As scripts/install.sh builds it: Swift's runtime and Foundation linked in.
swift build -c release --static-swift-stdlib --product attune >&2
ATTUNE="$ROOT/.build/release/attune"
cc -O2 Benchmarks/floor.c -o "$WORK/floor" $(pkg-config --cflags --libs yaml-0.1)
python3 Benchmarks/make-rule-pack.py --rules 200 --out "$WORK/pack200"
# attune runs on mimalloc, libyaml's allocations included; the floor runs on glibc's malloc as any
# libyaml program does. The floor is also timed on the mimalloc attune loads, so that a reader can
# tell the allocator's share of the review's gain from Attune's own (the ratios stay to the floor).
MIMALLOC=$(ldd "$ATTUNE" | awk '/libmimalloc/ { print $3 }')

# median wall seconds of a command, via hyperfine's JSON export
median() {
  local json="$WORK/hyperfine.json"
  hyperfine --style none --warmup 1 --runs "$1" --export-json "$json" -- "$2" >/dev/null 2>&1
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$json"
}

# peak resident set size in MB
peak_mb() {
  /usr/bin/time -f "%M" -o "$WORK/rss" bash -c "$1" >/dev/null 2>&1 || true
  python3 -c "import sys; print(round(int(open(sys.argv[1]).read().split()[-1]) / 1024, 1))" "$WORK/rss"
}

printf '| records | format | rules | jobs | median s | records/s | MB/s | peak RSS MB | × floor |\n'
printf '|---:|---|---:|---:|---:|---:|---:|---:|---:|\n'
for n in $SIZES; do
  runs=$RUNS
  [ "$n" -ge 1000000 ] && runs=3
  for format in yaml jsonl; do
    file="$WORK/records-$n.$format"
    [ -f "$file" ] || python3 Benchmarks/generate.py --records "$n" --format "$format" --out "$file"
    mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$file")
    yaml_file="$WORK/records-$n.yaml"
    floor=$(median "$runs" "$WORK/floor $yaml_file")
    [ "$format" = yaml ] && [ -n "$MIMALLOC" ] && floor_mimalloc=$(median "$runs" "env LD_PRELOAD=$MIMALLOC $WORK/floor $yaml_file")
    configurations=("default 1" "default 0")
    [ "$format" = yaml ] && configurations+=("200 0")
    for configuration in "${configurations[@]}"; do
      set -- $configuration
      rules=$1 jobs=$2
      args="review $file --format json --output $WORK/out.json"
      [ "$rules" = 200 ] && args="$args --rules $WORK/pack200"
      [ "$jobs" = 1 ] && args="$args --jobs 1"
      seconds=$(median "$runs" "$ATTUNE $args")
      rss=$(peak_mb "$ATTUNE $args")
      python3 - "$n" "$format" "$rules" "$jobs" "$seconds" "$mb" "$rss" "$floor" <<'PY'
import sys
n, fmt, rules, jobs, s, mb, rss, floor = sys.argv[1:]
n, s, mb, floor = int(n), float(s), float(mb), float(floor)
label = "18 (default)" if rules == "default" else rules
jobs = "all" if jobs == "0" else jobs
ratio = f"{s / floor:.2f}" if fmt == "yaml" else "–"
print(f"| {n:,} | {fmt} | {label} | {jobs} | {s:.3f} | {n / s:,.0f} | {mb / s:.1f} | {rss} | {ratio} |")
PY
    done
    if [ "$format" = yaml ]; then
      printf '| %s | floor (libyaml events) | – | 1 | %.3f | %s | %s | – | 1.00 |\n' \
        "$(python3 -c "print(f'{$n:,}')")" "$floor" \
        "$(python3 -c "print(f'{$n / $floor:,.0f}')")" "$(python3 -c "print(f'{$mb / $floor:.1f}')")"
      [ -n "$MIMALLOC" ] && printf '| %s | floor on mimalloc | – | 1 | %.3f | %s | %s | – | %.2f |\n' \
        "$(python3 -c "print(f'{$n:,}')")" "$floor_mimalloc" \
        "$(python3 -c "print(f'{$n / $floor_mimalloc:,.0f}')")" "$(python3 -c "print(f'{$mb / $floor_mimalloc:.1f}')")" \
        "$(python3 -c "print(f'{$floor_mimalloc / $floor:.2f}')")"
    fi
  done
done

# The same reviews and the floor in turn (Benchmarks/in-turn.py): each round runs the floor and
# then the review, and the ratio is taken within the round, so that a minute in which the shared
# machine runs slow slows both sides of it. The table above times all the floor's runs first and
# then all the review's, minutes apart: on a noisy machine its ratios move by a fifth from one run
# to the next; these move far less.
printf '\nIn turn (median of per-round ratios; ROUNDS_IN_TURN rounds, 21 by default, 9 at 1M):\n\n'
printf '| records | jobs | rounds | review median s | floor median s | × floor, per round | quartiles |\n'
printf '|---:|---:|---:|---:|---:|---:|---|\n'
for n in $SIZES; do
  rounds=${ROUNDS_IN_TURN:-21}
  [ "$n" -ge 1000000 ] && rounds=9
  file="$WORK/records-$n.yaml"
  for jobs in 1 0; do
    args=(review "$file" --format json --output "$WORK/out.json")
    [ "$jobs" = 1 ] && args+=(--jobs 1)
    python3 Benchmarks/in-turn.py --rounds "$rounds" --floor "$WORK/floor" --file "$file" -- "$ATTUNE" "${args[@]}" \
      > "$WORK/in-turn.json"
    python3 - "$n" "$jobs" "$WORK/in-turn.json" <<'PY'
import json, sys
n, jobs, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
r = json.load(open(path))
jobs = "all" if jobs == "0" else jobs
print(f"| {n:,} | {jobs} | {r['rounds']} | {r['review_median']:.3f} | {r['floor_median']:.3f} | "
      f"{r['ratio_median']:.2f} | {r['ratio_lower_quartile']:.2f}–{r['ratio_upper_quartile']:.2f} |")
PY
  done
done

# Instructions (valgrind --tool=callgrind), which no other work on the machine changes: the review
# with --jobs 1 and the floor, at the sizes up to 100k (INSTRUCTIONS=0 leaves them out). valgrind
# 3.19 cannot read the DWARF of Swift 6.3: it runs a copy without the debug sections.
if [ "${INSTRUCTIONS:-1}" != 0 ] && command -v valgrind >/dev/null; then
  strip --strip-debug -o "$WORK/attune-nodebug" "$ATTUNE"
  instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
      | awk '/Collected :/ { print $NF }'
  }
  printf '\nInstructions (callgrind, millions):\n\n'
  printf '| records | review, --jobs 1 | floor | × floor |\n'
  printf '|---:|---:|---:|---:|\n'
  for n in $SIZES; do
    [ "$n" -gt 100000 ] && continue
    file="$WORK/records-$n.yaml"
    review=$(instructions "$WORK/attune-nodebug" review "$file" --format json --output "$WORK/out.json" --jobs 1)
    floor=$(instructions "$WORK/floor" "$file")
    python3 -c "import sys; r, f, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]); print(f'| {n:,} | {r / 1e6:,.1f} | {f / 1e6:,.1f} | {r / f:.2f} |')" \
      "$review" "$floor" "$n"
  done
fi
