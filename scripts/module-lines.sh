#!/usr/bin/env bash
# Lines of Swift per module (each folder under Sources/ is one SwiftPM target), largest first,
# with each module's share of the total: how the code is divided between the modules.
#
#   scripts/module-lines.sh
set -euo pipefail
cd "$(dirname "$0")/.."

total=$(find Sources -name '*.swift' -exec cat {} + | wc -l)
for module in Sources/*/; do
    module=${module%/}
    lines=$(find "$module" -name '*.swift' -exec cat {} + | wc -l)
    [[ $lines -gt 0 ]] && echo "$lines ${module#Sources/}"
done | sort -rn | awk -v total="$total" '{ printf "%7d  %5.1f%%  %s\n", $1, 100 * $1 / total, $2 }'
printf '%7d  100.0%%  total\n' "$total"
