#!/usr/bin/env bash
# Builds the Rust check components under the given folders (default: checks/)
# for wasm32-wasip2 and puts each next to its sources as <folder>/<folder-name>.wasm,
# where `host scan --plugins <dir>` finds it.
#
#   scripts/build-components.sh                 # the first-party checks
#   scripts/build-components.sh tests/plugins   # the test suite's hostile plugins
#   scripts/build-components.sh checks/root-mfa # one check
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2

folders=("$@")
[[ ${#folders[@]} -gt 0 ]] || folders=(checks)

packages=()
crates=()
for folder in "${folders[@]}"; do
    for manifest in "$folder"/Cargo.toml "$folder"/*/Cargo.toml; do
        [[ -f "$manifest" ]] || continue
        crate_dir="$(dirname "$manifest")"
        package="$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -n1)"
        packages+=(-p "$package")
        crates+=("$crate_dir:$package")
    done
done
[[ ${#crates[@]} -gt 0 ]] || { echo "no crates under ${folders[*]}" >&2; exit 1; }

cargo build --quiet --target wasm32-wasip2 --profile guest "${packages[@]}"
for entry in "${crates[@]}"; do
    crate_dir="${entry%%:*}"
    package="${entry#*:}"
    cp "$target_dir/wasm32-wasip2/guest/${package//-/_}.wasm" "$crate_dir/$(basename "$crate_dir").wasm"
done
echo "built ${#crates[@]} components under ${folders[*]}" >&2
