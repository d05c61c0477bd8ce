#!/bin/sh
# Builds plugins/wasm-streak.wasm from plugins/wasm-streak.c with the Swift toolchain's own
# clang (no WASI sysroot, no libc: the plugin imports nothing), and prints the sha256 that
# pack.yaml pins. The build is reproducible: the same clang gives the same bytes.
# Usage: build.sh [output.wasm]     CLANG=/path/to/clang build.sh   (default: clang next to swift)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
output=${1:-$here/plugins/wasm-streak.wasm}
clang=${CLANG:-$(dirname "$(command -v swift)")/clang}
"$clang" --target=wasm32 -nostdlib -O2 -fno-builtin -Wl,--no-entry -Wl,--strip-all \
    -o "$output" "$here/plugins/wasm-streak.c"
sha256sum "$output" | cut -d' ' -f1
