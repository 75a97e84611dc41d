#!/usr/bin/env bash
# Writes docs/check-in.png, the README's picture of the check-in page, from the real app on the demo data in
# Debian's chromium (the browser test DeskBrowserTests.The_check_in_page_as_the_readme_shows_it, axe included).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$ROOT/tests/Reminders.BrowserTests" -c Release -v q -nologo
REMINDERS_README_SCREENSHOT="$ROOT/docs/check-in.png" dotnet test "$ROOT/tests/Reminders.BrowserTests" -c Release --no-build \
  --filter "FullyQualifiedName~DeskBrowserTests.The_check_in_page_as_the_readme_shows_it"
echo "wrote $ROOT/docs/check-in.png"
