#!/bin/sh
# Installs attune into PREFIX/bin (a release build), or removes it again.
#
#   scripts/install.sh PREFIX                 e.g. scripts/install.sh "$HOME/.local"
#   scripts/install.sh --uninstall PREFIX
#
# Runs from any folder. PREFIX/bin must be on PATH for `attune` to work everywhere; the script
# says so when it is not. ATTUNE_BINARY installs that binary instead of building one.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: scripts/install.sh [--uninstall] PREFIX   (e.g. \"\$HOME/.local\"; the binary goes to PREFIX/bin/attune)"

uninstall=0
if [ "${1:-}" = "--uninstall" ]; then uninstall=1; shift; fi
if [ "$#" -ne 1 ] || [ -z "$1" ]; then echo "$usage" >&2; exit 2; fi
bin="${1%/}/bin"

if [ "$uninstall" -eq 1 ]; then
    if [ ! -e "$bin/attune" ]; then echo "install.sh: nothing to remove: $bin/attune does not exist" >&2; exit 1; fi
    rm -f "$bin/attune"
    echo "removed $bin/attune"
    exit 0
fi

binary=${ATTUNE_BINARY:-}
if [ -n "$binary" ] && [ ! -x "$binary" ]; then
    echo "install.sh: ATTUNE_BINARY=$binary is not an executable file; name a built attune, or leave ATTUNE_BINARY unset to build one" >&2
    exit 2
fi
if [ -z "$binary" ]; then
    # Linked with Swift's runtime and Foundation inside: it runs where no Swift is installed,
    # starts faster and holds less memory (BENCHMARKS.md, issue 19).
    (cd "$root" && swift build -c release --static-swift-stdlib --product attune >&2)
    binary="$root/.build/release/attune"
fi
mkdir -p "$bin"
# A temporary name, then a rename: a running attune is never half overwritten.
cp "$binary" "$bin/.attune.installing"
chmod 755 "$bin/.attune.installing"
mv -f "$bin/.attune.installing" "$bin/attune"
echo "installed $bin/attune ($("$bin/attune" --version))"
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "note: $bin is not on PATH; add it (export PATH=\"$bin:\$PATH\") to run attune from any folder" ;;
esac
