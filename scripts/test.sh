#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the pinned Python tools
# (moto, componentize-py) into .venv and the pinned JavaScript toolchain
# (componentize-js) into node_modules, builds every check, test plugin and
# example Python, JavaScript and C check as a wasm component from source, then
# runs the Rust unit and end-to-end tests. System tools the tests run (a local
# OCI registry, minisign, ssh-keygen, git, xmllint, chromium, clang with
# wasi-libc) are installed with apt when missing; wit-bindgen and wasm-tools with cargo install.
# Extra arguments go to `cargo test` (e.g. a test name filter).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup-test-tools.sh
scripts/setup-python.sh
scripts/setup-node.sh
scripts/build-components.sh checks tests/plugins
scripts/build-python-checks.sh
scripts/build-js-checks.sh
scripts/build-c-checks.sh
cargo test -p plumbline-host -p plumbline-guest "$@"
