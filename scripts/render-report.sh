#!/usr/bin/env bash
# Renders the weekly review as a supervisor sees it: the HTML report in headless Chromium at
# 1280 px wide (PNG, full page) and printed on A4 (PDF, then one PNG per page), so the design
# can be checked by eye on screen and on paper.
#
#   scripts/render-report.sh [REVIEW.html] [OUT-DIR]
#
# Without REVIEW.html it builds attune and writes the review of Examples/clinic for 2026-W48.
# Needs Debian's `chromium` and `poppler-utils` (pdftoppm):
#   apt-get install -y chromium poppler-utils
# ATTUNE_REVIEW_ARGS adds arguments to the review command (say "--include-notes").
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
html="${1:-}"
out="${2:-$root/.build-report/render}"
mkdir -p "$out"

for tool in chromium pdftoppm; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install -y chromium poppler-utils)" >&2; exit 2; }
done

if [[ -z "$html" ]]; then
  (cd "$root" && swift build --scratch-path "${SCRATCH:-.build-report}" --product attune >&2)
  html="$out/review.html"
  # shellcheck disable=SC2086 # word splitting of the extra arguments is intended
  "$root/${SCRATCH:-.build-report}/debug/attune" review "$root/Examples/clinic" --week 2026-W48 \
    --format html --output "$html" ${ATTUNE_REVIEW_ARGS:-}
fi
html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"

# A throwaway profile: nothing of the user's browser is read or written.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
        --user-data-dir="$profile" --disable-extensions --disable-background-networking)

# Full-page screenshot at 1280 px: measure the page height with a first, tall render.
"${chrome[@]}" --window-size=1280,12000 --screenshot="$out/review-1280.png" "file://$html" 2>/dev/null
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$out/review-a4.pdf" "file://$html" 2>/dev/null

rm -f "$out"/review-a4-page-*.png
pdftoppm -png -r 60 "$out/review-a4.pdf" "$out/review-a4-page"
echo "screen: $out/review-1280.png"
echo "print:  $out/review-a4.pdf ($(ls "$out"/review-a4-page-*.png | wc -l) pages: $out/review-a4-page-*.png)"
