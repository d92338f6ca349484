#!/usr/bin/env bash
# Builds the check into {{id}}.wasm (a WebAssembly component) with
# componentize-js, pinned in package.json and installed into node_modules on
# the first build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
[[ -d node_modules/@bytecodealliance/componentize-js ]] ||
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error
node componentize.mjs check.js wit local:{{id}}/check {{id}}.wasm
echo "built {{id}}.wasm" >&2
