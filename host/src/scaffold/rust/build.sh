#!/usr/bin/env bash
# Builds the check into {{id}}.wasm (a WebAssembly component), next to this script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2
cargo build --quiet --release --target wasm32-wasip2
cp "${CARGO_TARGET_DIR:-target}/wasm32-wasip2/release/check_{{crate_file}}.wasm" {{id}}.wasm
echo "built {{id}}.wasm" >&2
