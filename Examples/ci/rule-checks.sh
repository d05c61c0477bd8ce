#!/bin/sh
# Checks a site's rule pack in any CI system: lint (SARIF for code scanning) and rule tests
# (JUnit XML for the CI's test report). Both reports are written even when a check fails (they
# then carry the errors), and the script fails if either check failed.
#
#   Examples/ci/rule-checks.sh [PACK...]
#
# With no PACK it checks this repository's rules/ and Examples/custom-rules, from any folder.
# Environment: ATTUNE (the attune binary; default: attune on PATH, else this repository's
# .build/release/attune or .build/debug/attune), REPORTS (output folder; default: reports).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

ATTUNE=${ATTUNE:-$(command -v attune || true)}
for candidate in "$root/.build/release/attune" "$root/.build/debug/attune"; do
    if [ -z "$ATTUNE" ] && [ -x "$candidate" ]; then ATTUNE=$candidate; fi
done
if [ -z "$ATTUNE" ] || ! command -v "$ATTUNE" > /dev/null 2>&1; then
    echo "rule-checks.sh: cannot find the attune binary${ATTUNE:+ ($ATTUNE)}." >&2
    echo "  Build and install it (README, 'Install'), or set ATTUNE=/path/to/attune." >&2
    exit 2
fi

REPORTS=${REPORTS:-reports}
mkdir -p "$REPORTS"
REPORTS=$(cd "$REPORTS" && pwd)
if [ "$#" -eq 0 ]; then
    cd "$root" || exit 2
    set -- rules Examples/custom-rules
fi

# Written beside the report, then moved over it: a report is never left empty or half-written.
report() {
    target=$1
    shift
    "$@" > "$target.partial"
    status=$?
    if [ -s "$target.partial" ]; then mv "$target.partial" "$target"; else rm -f "$target.partial"; echo "rule-checks.sh: no report from: $*" >&2; fi
    return "$status"
}

report "$REPORTS/attune-lint.sarif" "$ATTUNE" lint "$@" --format sarif
lint_status=$?
# Human-readable diagnostics in the CI log as well.
"$ATTUNE" lint "$@" || true

report "$REPORTS/attune-rule-tests.xml" "$ATTUNE" test "$@" --format junit
test_status=$?

echo "lint exit status: $lint_status; test exit status: $test_status (reports in $REPORTS/)"
[ "$lint_status" -eq 0 ] && [ "$test_status" -eq 0 ]
