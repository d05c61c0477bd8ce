#!/usr/bin/env bash
# Builds the libFuzzer targets (outside SwiftPM) into .build-fuzz/ and runs each for SECONDS.
#
#   scripts/fuzz.sh 600                 # build, then fuzz records and expressions 10 minutes each
#   scripts/fuzz.sh 60 expressions      # one target
#   scripts/fuzz.sh build               # build only
#
# Targets: records (YAML/JSON/JSONL/CSV readers + record decoder + CSV map) and expressions
# (parser, compiler, evaluator). Seeds: Fuzz/corpus/<target>/ (committed); new corpus entries
# go to .build-fuzz/corpus/<target>/, crashes to .build-fuzz/artifacts/<target>/.
# Every crash input becomes a regression test in Tests/AttuneUnitTests/Hostile/.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no

out=.build-fuzz
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -I "$out/modules" -I Sources/CYAML)

# The Sources/ modules the targets import, with the modules those depend on, in build order: read
# from the targets' imports and Package.swift (`swift package describe`), so that a new file,
# folder or module needs no change here. CYAML is libyaml's module map, not built.
modules() {
    swift package describe --type json | python3 -c '
import json, re, sys, glob
targets = {t["name"]: t for t in json.load(sys.stdin)["targets"]}
wanted = set()
for source in glob.glob("Fuzz/*.swift"):
    wanted |= set(re.findall(r"^import (\w+)", open(source).read(), re.M)) & targets.keys()
order = []
def visit(name):
    if name in order or name == "CYAML":
        return
    for dependency in targets[name].get("target_dependencies", []):
        visit(dependency)
    order.append(name)
for name in sorted(wanted):
    visit(name)
print(" ".join(order))'
}

build() {
    mkdir -p "$out/modules" "$out/lib"
    local stamp="$out/lib/.stamp" module folders=() libraries=()
    read -r -a built <<<"$(modules)"
    for module in "${built[@]}"; do folders+=("Sources/$module"); done
    if [[ ! -f "$stamp" ]] || [[ -n "$(find "${folders[@]}" Fuzz -name '*.swift' -newer "$stamp" | head -1)" ]]; then
        for module in "${built[@]}"; do
            echo "building $module" >&2
            swiftc "${flags[@]}" -emit-library -static -module-name "$module" -emit-module \
                -emit-module-path "$out/modules/$module.swiftmodule" \
                $(find "Sources/$module" -name '*.swift' | sort) -o "$out/lib/lib$module.a"
            libraries=("-l$module" "${libraries[@]}")
        done
        for target in records expressions; do
            local source=Fuzz/$(tr '[:lower:]' '[:upper:]' <<<"${target:0:1}")${target:1}FuzzTarget.swift
            echo "building fuzz-$target" >&2
            swiftc "${flags[@]}" -module-name "Fuzz_$target" "$source" -L "$out/lib" "${libraries[@]}" -lyaml \
                -o "$out/fuzz-$target"
        done
        touch "$stamp"
    fi
}

run() {
    local target=$1 seconds=$2
    mkdir -p "$out/corpus/$target" "$out/artifacts/$target"
    echo "fuzzing $target for $seconds s" >&2
    "$out/fuzz-$target" "$out/corpus/$target" "Fuzz/corpus/$target" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$out/artifacts/$target/" -print_final_stats=1
}

build
[[ "${1:-}" == build ]] && exit 0
seconds=${1:-60}
targets=("${@:2}")
[[ ${#targets[@]} -eq 0 ]] && targets=(records expressions)
for target in "${targets[@]}"; do run "$target" "$seconds"; done
