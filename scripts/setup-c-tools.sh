#!/usr/bin/env bash
# The toolchain scripts/build-c-checks.sh builds the example C checks with:
#
# - from Debian, installed with apt when missing: clang and lld (wasm-ld),
#   wasi-libc and the wasm32 compiler-rt builtins;
# - pinned, built from crates.io with `cargo install --locked`: wit-bindgen-cli
#   (only its C generator) and wasm-tools (only `component`);
# - the WASI preview 1 reactor adapter, taken from the pinned
#   wasi-preview1-component-adapter-provider crate by tools/wasi-adapter.
#
# The Rust tools go to a tools directory outside the clone when the build
# cache $HOME/.cache/plumbline exists (CI keeps it between runs, so a warm run
# installs nothing), else to .tools/ in the clone; PLUMBLINE_TOOLS_DIR
# overrides both. Idempotent and quiet when everything is in place. Prints the
# tools directory on stdout (bin/wit-bindgen, bin/wasm-tools,
# wasi_snapshot_preview1.reactor.wasm); what it installs goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The Rust guests' wit-bindgen (Cargo.toml), so the C and Rust checks share
# one generator release and canonical ABI.
wit_bindgen_version=0.63.0
# Built on wit-component 0.262, the one wit-bindgen-cli 0.63.0 uses, so the
# component-type object it emits is read by the same encoder.
wasm_tools_version=1.262.0
# The adapter's version is pinned in tools/wasi-adapter/Cargo.toml (and its
# Cargo.lock): the host's wasmtime release.

if [[ -n "${PLUMBLINE_TOOLS_DIR:-}" ]]; then
    tools="$PLUMBLINE_TOOLS_DIR"
elif [[ -d "$HOME/.cache/plumbline" ]]; then
    tools="$HOME/.cache/plumbline/tools"
else
    tools="$root/.tools"
fi
mkdir -p "$tools"

packages=()
for package in clang lld wasi-libc libclang-rt-dev-wasm32; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
        packages+=("$package")
done
if [[ ${#packages[@]} -gt 0 ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
        as_root=()
    else
        as_root=(sudo)
    fi
    echo "installing C tools with apt: ${packages[*]}" >&2
    # stdout is the tools directory, for build-c-checks.sh to read.
    "${as_root[@]}" apt-get update -qq >&2
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# The binaries themselves say whether they are the pinned versions, so a warm
# run stays silent and cargo is asked only when one is missing or another
# version.
installed_version() {
    [[ -x "$tools/bin/$1" ]] && "$tools/bin/$1" --version 2>/dev/null | awk '{print $2}'
}
cargo_install() {
    local crate="$1" version="$2"
    shift 2
    echo "installing $crate $version into $tools (cargo install, a few minutes when cold)" >&2
    # Unset: CI exports CARGO_TARGET_DIR for the workspace, and the tools'
    # release build has no business in that cache; cargo install then builds
    # in a temporary directory it removes. --force: the binary in place is not
    # the pinned one, whatever cargo's own records say.
    env -u CARGO_TARGET_DIR cargo install --quiet --locked --force --root "$tools" \
        "$crate@$version" "$@" >&2
}
[[ "$(installed_version wit-bindgen)" == "$wit_bindgen_version" ]] ||
    cargo_install wit-bindgen-cli "$wit_bindgen_version" --no-default-features --features c
[[ "$(installed_version wasm-tools)" == "$wasm_tools_version" ]] ||
    cargo_install wasm-tools "$wasm_tools_version" --no-default-features --features component

adapter="$tools/wasi_snapshot_preview1.reactor.wasm"
adapter_stamp="$adapter.lock.sha256"
adapter_lock="$root/tools/wasi-adapter/Cargo.lock"
wanted="$(sha256sum "$adapter_lock" | cut -d' ' -f1)"
if [[ ! -f "$adapter" || ! -f "$adapter_stamp" || "$(cat "$adapter_stamp")" != "$wanted" ]]; then
    echo "writing the WASI preview 1 reactor adapter to $adapter" >&2
    helper_target="$(mktemp -d)"
    trap 'rm -rf "$helper_target"' EXIT
    CARGO_TARGET_DIR="$helper_target" cargo run --quiet --locked \
        --manifest-path "$root/tools/wasi-adapter/Cargo.toml" -- "$adapter.tmp" >&2
    mv "$adapter.tmp" "$adapter"
    echo "$wanted" > "$adapter_stamp"
fi

echo "$tools"
