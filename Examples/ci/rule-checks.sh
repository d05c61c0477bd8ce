#!/bin/sh
# Checks a site's rule pack in any CI system: lint (SARIF for code scanning) and rule tests
# (JUnit XML for the CI's test report). Both reports are written even when a check fails, and
# the script fails if either check failed.
#
#   Examples/ci/rule-checks.sh [PACK...]        default packs: rules Examples/custom-rules
#
# Environment: ATTUNE (the attune binary; default: attune on PATH), REPORTS (output folder;
# default: reports).
set -u
ATTUNE=${ATTUNE:-attune}
REPORTS=${REPORTS:-reports}
if [ "$#" -eq 0 ]; then set -- rules Examples/custom-rules; fi
mkdir -p "$REPORTS"

"$ATTUNE" lint "$@" --format sarif > "$REPORTS/attune-lint.sarif"
lint_status=$?
# Human-readable diagnostics in the CI log as well.
"$ATTUNE" lint "$@" || true

"$ATTUNE" test "$@" --format junit > "$REPORTS/attune-rule-tests.xml"
test_status=$?

echo "lint exit status: $lint_status; test exit status: $test_status (reports in $REPORTS/)"
[ "$lint_status" -eq 0 ] && [ "$test_status" -eq 0 ]
