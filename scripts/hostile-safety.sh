#!/usr/bin/env bash
# Issue 12's safety cases, on the built binary: --output never overwrites an input (same file by
# device and inode, or a record file in a records folder) and never replaces a device or FIFO;
# SIGTERM, SIGHUP and SIGINT while writing leave no temporary file; a {notes} placeholder stops the
# review; a record dated after today neither moves the period nor passes --strict; control, bidi
# and zero-width characters never reach the terminal raw; lax values are located errors.
# Each case prints its exit status and ok or FAIL; the script exits 1 when any fails. A few seconds.
#
#   scripts/hostile-safety.sh [folder]        # builds debug; folder defaults to .build-input/safety
#   ATTUNE=path/to/attune scripts/hostile-safety.sh
# No errexit: every case checks its own statuses and conditions.
set -uo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
if [[ -z "${ATTUNE:-}" ]]; then
    swift build --product attune >/dev/null
    ATTUNE="$(swift build --show-bin-path)/attune"
fi
# Absolute, since some cases run in the case folder.
ATTUNE="$(cd "$(dirname "$ATTUNE")" && pwd)/$(basename "$ATTUNE")"
# A fixed clock: records after 2026-11-29 are in the future.
export ATTUNE_TODAY=2026-11-29
fail=0
d="${1:-.build-input/safety}"
rm -rf "$d" && mkdir -p "$d/recs" "$d/pack" "$d/out"
record='- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 20}, notes: SECRET-NOTE}'
printf '%s\n' "$record" >"$d/data.yaml"
printf '%s\n' "$record" >"$d/recs/a.yaml"
ln -sf data.yaml "$d/link.yaml"
ln -f "$d/data.yaml" "$d/hard.yaml"
before=$(cat "$d/data.yaml" "$d/recs/a.yaml")
check() {  # name, expected status, status, extra condition (0 = holds)
    local verdict=ok
    if [[ "$3" != "$2" || "$4" != 0 ]]; then verdict=FAIL; fail=1; fi
    printf '%-44s %5s  %s\n' "$1" "$3" "$verdict"
}
printf '\n%-44s %5s\n' "safety case" exit
for target in data.yaml link.yaml hard.yaml recs/2026-W48.yaml; do
    (cd "$d" && "$ATTUNE" review data.yaml recs --output "$target" 2>/dev/null); status=$?
    [[ "$(cat "$d/data.yaml" "$d/recs/a.yaml")" == "$before" && ! -e "$d/recs/2026-W48.yaml" ]]; check "1 --output $target is refused" 2 "$status" $?
done
(cd "$d" && "$ATTUNE" review - --output data.yaml <data.yaml 2>/dev/null); status=$?
[[ "$(cat "$d/data.yaml" "$d/recs/a.yaml")" == "$before" ]]; check "1 --output the file on standard input" 2 "$status" $?
"$ATTUNE" review "$d/data.yaml" --output /dev/null >/dev/null 2>&1; status=$?
[[ -c /dev/null ]]; check "2 --output /dev/null stays a device" 0 "$status" $?
"$ATTUNE" review "$d/data.yaml" --output /dev/full >/dev/null 2>&1; status=$?
[[ -c /dev/full ]]; check "2 --output /dev/full: ENOSPC, still a device" 2 "$status" $?
ln -sf /proc/self/fd/1 "$d/stdout-link"
out=$("$ATTUNE" review "$d/data.yaml" --output "$d/stdout-link" 2>/dev/null); status=$?
[[ -L "$d/stdout-link" && "$out" == "Attune supervision review"* ]]; check "2 --output symlink to /proc/self/fd/1" 0 "$status" $?

printf 'name: site\nversion: 0.1.0\n' >"$d/pack/pack.yaml"
printf 'id: leaky\ntitle: Leaky\nseverity: low\nkind: threshold\nmatch: measures.srs < 30\nmessage: "{notes}"\n' >"$d/pack/leaky.yaml"
out=$("$ATTUNE" review "$d/data.yaml" --rules "$d/pack" --format json 2>&1); status=$?
[[ "$out" != *SECRET-NOTE* && "$out" == *"placeholder '{notes}'"* ]]; check "3 {notes} placeholder: pack error, no notes" 2 "$status" $?

printf '%s\n- {client: C-2, therapist: T-1, date: 2062-11-24, attendance: attended}\n' "$record" >"$d/future.yaml"
out=$("$ATTUNE" review "$d/future.yaml" --format json 2>/dev/null); status=$?
[[ "$out" == *'"as_of": "2026-11-24"'* && "$out" == *alliance-below-cutoff* ]]; check "4 a 2062 record does not move the period" 0 "$status" $?
"$ATTUNE" review "$d/future.yaml" --strict >/dev/null 2>&1; status=$?
check "4 a 2062 record fails --strict" 2 "$status" 0

python3 - "$d/big.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for c in range(1000):
        for day in range(1, 13):
            f.write(f"- {{client: C-{c}, therapist: T-{c % 7}, date: 2026-11-{day:02d}, attendance: attended, measures: {{srs: {20 + day}}}, notes: 'note {c}'}}\n")
PY
# Job control on: a script's background jobs would otherwise ignore SIGINT from the start. A signal
# ignored when this script started (nohup, a background CI runner) stays ignored through bash, so
# the review is started through a python3 exec that restores the default dispositions first:
# attune rightly keeps a signal its parent ignores, and this case tests what it does when it is not.
set -m
for signal in TERM HUP INT; do
    rm -f "$d/out/"* "$d/out/".??* 2>/dev/null || true
    python3 -c 'import os, signal, sys
for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT): signal.signal(number, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$ATTUNE" review "$d/big.yaml" --format json --include-notes --jobs 1 \
        --output "$d/out/review.json" 2>/dev/null &
    pid=$!
    seen=1
    for _ in $(seq 1 2000); do
        if ls -a "$d/out" | grep -q '\.tmp-'; then seen=0; break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.005
    done
    kill -"$signal" "$pid" 2>/dev/null || true
    wait "$pid"; status=$?
    [[ $seen == 0 && -z "$(ls -A "$d/out")" ]]; check "5 SIG$signal while writing leaves nothing" $((128 + $(kill -l "$signal"))) "$status" $?
done
set +m

evil='\e[31mRED \u0007\r\u009B x.yaml:1:1: error: forged \u202Eevil'
printf -- '- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 20}, notes: "%s"}\n' "$evil" >"$d/evil.yaml"
printf -- '- {client: "C-1\\0", therapist: T-1, date: 2026-11-24, attendance: "%s\\nevil.yaml:9:9: error: forged"}\n' "$evil" >>"$d/evil.yaml"
for format in text markdown html csv json; do
    "$ATTUNE" review "$d/evil.yaml" --include-notes --format "$format" >"$d/evil.$format" 2>"$d/evil.$format.err"; status=$?
    # No C0 control but LF (CSV's CR LF aside), no C1 control, no bidi override, no forged line.
    ! sed 's/\r$//' "$d/evil.$format" "$d/evil.$format.err" | grep -qaP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|^(evil|x)\.yaml:'
    check "6 control characters escaped ($format)" 0 "$status" $?
done
grep -qF "client 'C-1\\0' contains the invisible or control character U+0000" "$d/evil.text.err"; check "6 C-1 and C-1\\0 are not two clients" 0 0 $?

while IFS='|' read -r value message; do
    printf -- '- {client: C-1, therapist: T-1, attendance: attended, %s}\n' "$value" >"$d/lax.yaml"
    "$ATTUNE" review "$d/lax.yaml" --strict 2>"$d/lax.err" >/dev/null; status=$?
    grep -qF "lax.yaml:1:" "$d/lax.err" && grep -qF "$message" "$d/lax.err"; check "15 ${value:0:40}" 2 "$status" $?
done <<'CASES'
date: 2026-11-24, session: 9007199254740993|is out of range: whole numbers are at most 2^53
date: 2026-11-24, session: 9223372036854775807|is out of range
date: 2026-11-24T25:00:00|is not a valid date
date: 2026-11-24, measures: {srs: 1e-400}|too close to zero
date: 2026-11-24, bogusfield: ~|unknown field 'bogusfield'
date: 2026-11-24, measures: {bogus: ~}|unknown measure 'bogus'
CASES
exit $fail
