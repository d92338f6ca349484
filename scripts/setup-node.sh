#!/usr/bin/env bash
# Installs the pinned JavaScript tools (package-lock.json: componentize-js and
# jco, which build JavaScript checks; playwright-core, which drives headless
# Chromium in the HTML report tests) into the project-local node_modules. Idempotent: reinstalls only
# when package-lock.json changed, so a build after the first one costs nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
modules="$root/node_modules"
lock="$root/package-lock.json"
stamp="$modules/.package-lock.sha256"
wanted="$(sha256sum "$lock" | cut -d' ' -f1)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    exit 0
fi
command -v npm >/dev/null || {
    echo "setup-node.sh: npm not found; install Node.js 20 or newer (Debian: apt-get install nodejs npm)" >&2
    exit 2
}
# No package in the lock needs an install script (the engine and wizer ship
# inside their packages), so none is allowed to run.
(cd "$root" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "$wanted" > "$stamp"
