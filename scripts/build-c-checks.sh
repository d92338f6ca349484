#!/usr/bin/env bash
# Builds the example C checks under examples/c-checks/ into wasm components:
# bindings from `wit-bindgen c`, compiled and linked by clang against Debian's
# wasi-libc as a WASI preview 1 reactor module, then made a component by
# `wasm-tools component new` with the preview 1 reactor adapter (the tools come
# from scripts/setup-c-tools.sh). Each check folder holds check.c and
# wit/world.wit, a narrow world over the repository's plumbline:check package.
# The output goes next to the sources as <folder>/<folder-name>.wasm, where
# `host scan --plugins <dir>` finds it.
#
#   scripts/build-c-checks.sh                                              # every example
#   scripts/build-c-checks.sh examples/c-checks/pw-policy-min-length-14
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools="$(scripts/setup-c-tools.sh)"

folders=("$@")
[[ ${#folders[@]} -gt 0 ]] || folders=(examples/c-checks/*/)

# Debian bookworm's wasi-libc is laid out multiarch (/usr/include/wasm32-wasi,
# /usr/lib/wasm32-wasi), which its clang finds under the sysroot /usr; a
# self-contained sysroot in wasi-sdk's layout is preferred when installed.
sysroot=/usr
[[ -d /usr/share/wasi-sysroot ]] && sysroot=/usr/share/wasi-sysroot

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
# The CIS ids, scoring and levels come from the reference table, as a
# generated header (`#include "cis.h"`), never retyped.
python3 scripts/generate-cis.py --lang c benchmarks/cis-aws-crossversion.json "$build/cis.h"

for folder in "${folders[@]}"; do
    folder="${folder%/}"
    name="$(basename "$folder")"
    package="$(sed -n 's/^package \([^;]*\);/\1/p' "$folder/wit/world.wit")"
    out="$build/$name"
    # The repository's contract first: the example's package depends on it.
    # Its "Generating ..." lines are shown only when it fails.
    if ! log="$("$tools/bin/wit-bindgen" c --out-dir "$out" wit "$folder/wit" -w "$package/check" 2>&1)"; then
        echo "$log" >&2
        exit 1
    fi
    # A reactor: no main, the exports are the entry points. The
    # component-type object carries the world into the module's custom
    # section, which `component new` reads. Debian builds wasi-libc with
    # debug info, two thirds of an unstripped check; the name section stays,
    # so a trap's backtrace still names functions.
    clang --target=wasm32-wasi --sysroot="$sysroot" -mexec-model=reactor -O2 -std=c11 \
        -Wall -Wextra -Werror -Wl,--strip-debug -I"$out" -I"$build" \
        "$folder/check.c" "$out/check.c" "$out/check_component_type.o" -o "$out/core.wasm"
    "$tools/bin/wasm-tools" component new "$out/core.wasm" \
        --adapt "wasi_snapshot_preview1=$tools/wasi_snapshot_preview1.reactor.wasm" \
        -o "$folder/$name.wasm"
    echo "built $folder/$name.wasm" >&2
done
