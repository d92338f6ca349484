#!/usr/bin/env bash
# Builds the example Python checks under examples/python-checks/ into wasm
# components with componentize-py (pinned in scripts/requirements.txt, installed
# into .venv by scripts/setup-python.sh). Each check folder holds check.py and
# wit/world.wit, a narrow world over the repository's plumbline:check package
# that imports only the interfaces the check reads (componentize-py imports
# every interface of its world, and the host collects every data source a
# component imports). The output goes next to the sources as
# <folder>/<folder-name>.wasm, where `host scan --plugins <dir>` finds it.
#
#   scripts/build-python-checks.sh                                            # every example
#   scripts/build-python-checks.sh examples/python-checks/iam-user-console-mfa
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup-python.sh
componentize_py="$root/.venv/bin/componentize-py"

folders=("$@")
[[ ${#folders[@]} -gt 0 ]] || folders=(examples/python-checks/*/)

# The CIS ids, scoring and levels come from the reference table, as a
# generated module (`import cis`), never retyped.
generated="$(mktemp -d)"
trap 'rm -rf "$generated"' EXIT
"$root/.venv/bin/python" scripts/generate-cis.py --lang python benchmarks/cis-aws-crossversion.json "$generated/cis.py"

for folder in "${folders[@]}"; do
    folder="${folder%/}"
    name="$(basename "$folder")"
    package="$(sed -n 's/^package \([^;]*\);/\1/p' "$folder/wit/world.wit")"
    # Searched in order: the repository's contract first, so the example's
    # package can depend on plumbline:check without a copy of it.
    "$componentize_py" --quiet -d wit -d "$folder/wit" -w "$package/check" \
        componentize check -p "$folder" -p "$generated" -o "$folder/$name.wasm"
    echo "built $folder/$name.wasm" >&2
done
