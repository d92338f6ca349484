#!/usr/bin/env bash
# The system tools the end-to-end tests run: a local OCI registry
# (docker-registry) and htpasswd for its password file, minisign and
# ssh-keygen to sign packs, git to serve them, xmllint to validate JUnit
# reports against their XSD, script to run the host on a pseudo-terminal,
# chromium to open the HTML report headless (driven by playwright-core from
# node_modules). Installs with apt whatever is missing; quiet and quick when
# everything is there.
set -euo pipefail

# command -> the Debian package that ships it
packages=()
need() {
    command -v "$1" >/dev/null 2>&1 || packages+=("$2")
}
need docker-registry docker-registry
need htpasswd apache2-utils
need minisign minisign
need ssh-keygen openssh-client
need git git
need xmllint libxml2-utils
need script bsdutils
need chromium chromium

if [ "${#packages[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
else
    as_root=(sudo)
fi
echo "installing test tools: ${packages[*]}" >&2
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
