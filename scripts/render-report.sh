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
url="file://$(printf '%s' "$html" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/#/%23/g' -e 's/?/%3F/g')"

# A throwaway profile: nothing of the user's browser is read or written.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
        --user-data-dir="$profile" --disable-extensions --disable-background-networking)

# Full-page screenshot at 1280 px. The report runs no scripts (its CSP forbids them), so a
# throwaway page frames it at 1280 px, reads its height and writes it into its own DOM, which
# --dump-dom prints; the screenshot is then taken at exactly that height.
probe="$profile/measure.html"
src="$(printf '%s' "$url" | sed -e 's/&/\&amp;/g' -e 's/"/\&quot;/g' -e 's/</\&lt;/g')"
cat >"$probe" <<PROBE
<!DOCTYPE html><html><body style="margin:0">
<iframe id="report" src="$src" style="width:1280px;height:800px;border:0"></iframe>
<script>
document.getElementById('report').addEventListener('load', function () {
  document.body.setAttribute('data-height', String(this.contentDocument.documentElement.scrollHeight));
});
</script></body></html>
PROBE
height="$("${chrome[@]}" --allow-file-access-from-files --virtual-time-budget=10000 --dump-dom "file://$probe" 2>/dev/null \
  | sed -n 's/.*data-height="\([0-9]*\)".*/\1/p' | head -n 1)"
[[ "$height" =~ ^[0-9]+$ && "$height" -gt 0 ]] || { echo "error: could not measure the page height of $html" >&2; exit 1; }
"${chrome[@]}" --window-size="1280,$height" --screenshot="$out/review-1280.png" "$url" 2>/dev/null
"${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$out/review-a4.pdf" "$url" 2>/dev/null

rm -f "$out"/review-a4-page-*.png
pdftoppm -png -r 60 "$out/review-a4.pdf" "$out/review-a4-page"
echo "screen: $out/review-1280.png (1280 x $height px)"
echo "print:  $out/review-a4.pdf ($(ls "$out"/review-a4-page-*.png | wc -l) pages: $out/review-a4-page-*.png)"
