#!/usr/bin/env bash
# Builds the check into {{id}}.wasm (a WebAssembly component) with
# componentize-py, pinned and installed into .venv on the first build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ ! -x .venv/bin/componentize-py ]]; then
    python3 -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check componentize-py=={{componentize_py}}
fi
.venv/bin/componentize-py --quiet -d wit -w local:{{id}}/check componentize check -o {{id}}.wasm
echo "built {{id}}.wasm" >&2
