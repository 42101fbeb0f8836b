#!/usr/bin/env bash
# Refreshes the README's pictures: runs the browser tests that take screenshots (through ./test.sh,
# so Chromium is installed if missing), then copies the chosen PNGs from TestResults/screenshots/
# (where every test run writes them, ignored by git) into the tracked screenshots/ folder.
# Extra arguments go to dotnet test.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# The pictures kept in screenshots/ (the README shows after-put.png).
pictures=(after-put after-crash home live-page message-details node-menu partition room-viewer share shortcuts-help)
from="TestResults/screenshots"

echo "Refreshing the README's pictures in screenshots/: running the browser tests that take them."
rm -rf "$from"
./test.sh --filter "FullyQualifiedName~RaftVisualizer.Tests.Web|FullyQualifiedName~RaftVisualizer.Tests.Classroom.RoomPageTests" "$@"

for name in "${pictures[@]}"; do
    if [ ! -f "$from/$name.png" ]; then
        echo "No $from/$name.png after the run, so screenshots/ is unchanged: a test that saves it was renamed or filtered out." >&2
        exit 1
    fi
done
for name in "${pictures[@]}"; do
    cp "$from/$name.png" "screenshots/$name.png"
done
echo "Copied ${#pictures[@]} pictures into screenshots/; look at them (git status screenshots/) and commit the ones you want."
