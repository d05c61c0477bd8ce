#!/bin/sh
# What a rule change does before it lands, in any CI system: the findings it adds, removes and
# changes on a corpus of records (Markdown, for a pull-request comment), a rule coverage gate
# (Cobertura XML, which CI systems show against the rule files' lines) and mutation testing
# (does a test notice when `<` becomes `<=`?). All reports are written even when a check fails;
# the script fails if the coverage gate or mutation testing failed. The diff itself never fails
# the build: it is there for a person to read. Mutation testing changes the rules of the last
# PACK (the site's own) and judges them by that pack's tests (`--filter PACK`): the packs before
# it are the default pack, which has its own tests and its own CI.
#
#   Examples/ci/rule-change.sh BASE_REF [PACK...]     default packs: rules Examples/custom-rules
#
# Environment: ATTUNE (the attune binary; default: attune on PATH), REPORTS (output folder;
# default: reports), CORPUS (records to diff on; default: Examples/corpus), MIN_COVERAGE
# (percentage; default: 90).
set -u
ATTUNE=${ATTUNE:-attune}
REPORTS=${REPORTS:-reports}
CORPUS=${CORPUS:-Examples/corpus}
MIN_COVERAGE=${MIN_COVERAGE:-90}
if [ "$#" -lt 1 ]; then echo "usage: $0 BASE_REF [PACK...]" >&2; exit 2; fi
BASE_REF=$1
shift
if [ "$#" -eq 0 ]; then set -- rules Examples/custom-rules; fi
mkdir -p "$REPORTS"

heads=""
for pack in "$@"; do heads="$heads --head $pack"; done
# shellcheck disable=SC2086 # heads is a list of options
"$ATTUNE" diff --base-ref "$BASE_REF" $heads "$CORPUS" --format markdown > "$REPORTS/attune-diff.md"
diff_status=$?

"$ATTUNE" test "$@" --coverage-format cobertura --coverage-output "$REPORTS/attune-coverage.xml" \
    --min-coverage "$MIN_COVERAGE" > /dev/null
coverage_status=$?

for last in "$@"; do :; done
"$ATTUNE" test "$@" --mutate --fail-on-surviving --filter "$last" > "$REPORTS/attune-mutation.txt"
mutation_status=$?
# Surviving mutants and the counts in the CI log.
grep -v '^PASS  ' "$REPORTS/attune-mutation.txt"

echo "diff exit status: $diff_status; coverage: $coverage_status; mutation: $mutation_status (reports in $REPORTS/)"
[ "$diff_status" -eq 0 ] && [ "$coverage_status" -eq 0 ] && [ "$mutation_status" -eq 0 ]
