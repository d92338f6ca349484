#!/usr/bin/env bash
# Builds the first-party checks as the pack plumbline/cis-aws into
# dist/plumbline-cis-aws (or the folder given), ready to sign, publish or
# install:
#
#   scripts/build-pack.sh
#   host pack sign dist/plumbline-cis-aws --key KEY
#   host pack publish dist/plumbline-cis-aws oci://REGISTRY/plumbline/cis-aws
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-dist/plumbline-cis-aws}"
scripts/build-components.sh checks
# Built as scripts/test.sh builds it, so neither rebuilds the heavy crates.
cargo build --quiet --tests -p plumbline-host -p plumbline-guest
"${CARGO_TARGET_DIR:-$root/target}/debug/host" pack build checks --out "$out"
