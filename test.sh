#!/usr/bin/env bash
# The README's test command: make sure the browser the Playwright tests drive is here (installing
# Debian's chromium with apt-get when it is missing), then run `dotnet test` with any arguments given,
# e.g. ./test.sh --filter "FullyQualifiedName~Web". .ci/run calls this same script.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

export DEBIAN_FRONTEND=noninteractive
chromium="${RAFTVIS_CHROMIUM:-/usr/bin/chromium}"

install_chromium() {
    command -v apt-get >/dev/null 2>&1 || { echo "apt-get is not available on this machine." >&2; return 1; }
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "Installing needs root, and sudo is not available." >&2; return 1; }
        sudo=(sudo env DEBIAN_FRONTEND=noninteractive)
    fi
    "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y --no-install-recommends chromium
}

if [ ! -x "$chromium" ]; then
    echo "Chromium is missing at $chromium (the browser tests need it); installing Debian's chromium with apt-get."
    install_chromium || true
    if [ ! -x "$chromium" ]; then
        echo "No Chromium at $chromium, so the browser tests cannot run: install Debian's chromium package" \
             "(sudo apt-get install -y --no-install-recommends chromium) or set RAFTVIS_CHROMIUM to a Chromium binary," \
             "then run ./test.sh again." >&2
        exit 1
    fi
fi

exec dotnet test "$@"
