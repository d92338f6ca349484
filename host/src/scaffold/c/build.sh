#!/usr/bin/env bash
# Builds the check into {{id}}.wasm (a WebAssembly component): bindings from
# `wit-bindgen c`, compiled by clang against wasi-libc as a WASI preview 1
# reactor, made a component by `wasm-tools component new` with the preview 1
# reactor adapter. The tools come from PLUMBLINE_C_TOOLS (a folder with
# bin/wit-bindgen, bin/wasm-tools and wasi_snapshot_preview1.reactor.wasm, as
# the Plumbline repository's scripts/setup-c-tools.sh prints), else from PATH
# with WASI_ADAPTER naming the adapter file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
tools="${PLUMBLINE_C_TOOLS:-}"
wit_bindgen="${tools:+$tools/bin/}wit-bindgen"
wasm_tools="${tools:+$tools/bin/}wasm-tools"
adapter="${WASI_ADAPTER:-${tools:+$tools/wasi_snapshot_preview1.reactor.wasm}}"
if [[ -z "$adapter" || ! -f "$adapter" ]]; then
    echo "build.sh: no WASI preview 1 reactor adapter: set PLUMBLINE_C_TOOLS or WASI_ADAPTER" >&2
    exit 2
fi
# Debian bookworm lays wasi-libc out multiarch under /usr; wasi-sdk and later
# Debian releases ship a self-contained sysroot.
sysroot="${WASI_SYSROOT:-/usr}"
[[ -z "${WASI_SYSROOT:-}" && -d /usr/share/wasi-sysroot ]] && sysroot=/usr/share/wasi-sysroot

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
# Its "Generating ..." lines are shown only when it fails.
if ! log="$("$wit_bindgen" c --out-dir "$build" wit -w local:{{id}}/check 2>&1)"; then
    echo "$log" >&2
    exit 1
fi
clang --target=wasm32-wasi --sysroot="$sysroot" -mexec-model=reactor -O2 -std=c11 \
    -Wall -Wextra -Wl,--strip-debug -I"$build" \
    check.c "$build/check.c" "$build/check_component_type.o" -o "$build/core.wasm"
"$wasm_tools" component new "$build/core.wasm" \
    --adapt "wasi_snapshot_preview1=$adapter" -o {{id}}.wasm
echo "built {{id}}.wasm" >&2
