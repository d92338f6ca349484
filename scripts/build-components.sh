#!/usr/bin/env bash
# Builds the Rust check components found under the given folders (default:
# checks/), recursively, for wasm32-wasip2 and puts each next to its sources as
# <crate-folder>/<folder-name>.wasm, where `host scan --plugins <dir>` finds it.
#
# A crate's folder name is its id, and its package name says what it is:
# `check-<folder>` for a check (the guest SDK reads the id from the package
# name), `test-plugin-<folder>` for a test plugin. Any other crate is refused
# before anything is built.
#
#   scripts/build-components.sh                       # the first-party checks
#   scripts/build-components.sh checks/iam            # one service's checks
#   scripts/build-components.sh checks/iam/root-mfa   # one check
#   scripts/build-components.sh tests/plugins         # the test suite's plugins
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2

folders=("$@")
[[ ${#folders[@]} -gt 0 ]] || folders=(checks)

packages=()
crates=()
refused=0
for folder in "${folders[@]}"; do
    [[ -d "$folder" ]] || { echo "$folder: no such folder" >&2; exit 1; }
    while IFS= read -r manifest; do
        crate_dir="$(dirname "$manifest")"
        name="$(basename "$crate_dir")"
        package="$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -n1)"
        if [[ "$package" != "check-$name" && "$package" != "test-plugin-$name" ]]; then
            echo "$crate_dir: package \"$package\" does not match its folder: a check in" \
                "$crate_dir must be the package \"check-$name\" (its id is the folder" \
                "name), a test plugin \"test-plugin-$name\"" >&2
            refused=1
            continue
        fi
        packages+=(-p "$package")
        crates+=("$crate_dir:$package")
    done < <(find "$folder" -name Cargo.toml -not -path '*/target/*' -not -path '*/.*/*' | sort)
done
[[ $refused -eq 0 ]] || exit 1
[[ ${#crates[@]} -gt 0 ]] || { echo "no crates under ${folders[*]}" >&2; exit 1; }

cargo build --quiet --target wasm32-wasip2 --profile guest "${packages[@]}"
for entry in "${crates[@]}"; do
    crate_dir="${entry%%:*}"
    package="${entry#*:}"
    cp "$target_dir/wasm32-wasip2/guest/${package//-/_}.wasm" "$crate_dir/$(basename "$crate_dir").wasm"
done
echo "built ${#crates[@]} components under ${folders[*]}" >&2
