#!/usr/bin/env bash
# Builds the example JavaScript checks under examples/javascript-checks/ into
# wasm components with componentize-js (pinned in package-lock.json, installed
# into node_modules by scripts/setup-node.sh). Each check folder holds
# check.js (an ES module exporting `plugin`) and wit/world.wit, a narrow world
# over the repository's plumbline:check package: componentize-js imports every
# function of every interface of its world, and the host collects every data
# set a component imports unless the check declares what it reads. The output
# goes next to the sources as <folder>/<folder-name>.wasm, where
# `host scan --plugins <dir>` finds it.
#
#   scripts/build-js-checks.sh                                          # every example
#   scripts/build-js-checks.sh examples/javascript-checks/root-no-access-keys
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup-node.sh

folders=("$@")
[[ ${#folders[@]} -gt 0 ]] || folders=(examples/javascript-checks/*/)

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
# The CIS ids, scoring and levels come from the reference table, as a
# generated module (`import ... from "./cis.js"`), never retyped.
python3 scripts/generate-cis.py --lang javascript benchmarks/cis-aws-crossversion.json "$staging/cis.js"

for folder in "${folders[@]}"; do
    folder="${folder%/}"
    name="$(basename "$folder")"
    package="$(sed -n 's/^package \([^;]*\);/\1/p' "$folder/wit/world.wit")"
    # componentize-js takes one WIT folder and resolves its imports only from
    # that folder's deps/, and its engine resolves `./cis.js` beside the
    # source: so both are assembled in a fresh folder per check.
    stage="$staging/$name"
    mkdir -p "$stage/wit/deps/plumbline-check"
    cp "$folder"/*.js "$staging/cis.js" "$stage/"
    cp "$folder/wit/world.wit" "$stage/wit/"
    cp wit/check.wit "$stage/wit/deps/plumbline-check/"
    node scripts/componentize-js.mjs "$stage/check.js" "$stage/wit" "$package/check" "$folder/$name.wasm"
    echo "built $folder/$name.wasm" >&2
done
