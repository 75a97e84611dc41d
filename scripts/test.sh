#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian machine with only the .NET SDK:
# installs what the tests need (Debian's chromium for the browser tests, the local dotnet-ef tool),
# builds with warnings as errors, runs all test projects, and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
export REMINDERS_CHROMIUM="${REMINDERS_CHROMIUM:-$(command -v chromium)}"

dotnet tool restore >/dev/null
dotnet build Reminders.sln -c Release -nologo -clp:ErrorsOnly

# One suite after the other, not side by side: on 2 cores the integration suite (parallel xunit collections,
# each with its own app) saturates the CPU, and the browser suite's chromium then starved past its timeouts.
results="$(mktemp -d)"
status=0
for project in tests/Reminders.Domain.Tests tests/Reminders.Web.Tests tests/Reminders.BrowserTests; do
  dotnet test "$project" -c Release --no-build --results-directory "$results" --logger "trx" \
    --logger "console;verbosity=minimal" -- RunConfiguration.TreatNoTestsAsError=true || status=$?
done
# Every test project of the solution must be in the list above.
listed=3
found=$(ls tests/*/*.csproj | xargs grep -L "<IsTestProject>false</IsTestProject>" | wc -l)
if [ "$found" != "$listed" ]; then
  echo "scripts/test.sh runs $listed test projects but tests/ has $found: add the new one to the list" >&2
  status=1
fi

# One closing line over all test projects, read from the TRX files (plain bash: no python needed).
passed=0; failed=0; skipped=0
attr() { grep -o "<Counters [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | grep -o "[0-9]*" || echo 0; }
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  passed=$((passed + $(attr "$trx" passed)))
  failed=$((failed + $(attr "$trx" failed) + $(attr "$trx" error) + $(attr "$trx" timeout)))
  skipped=$((skipped + $(attr "$trx" notExecuted)))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" = 0 ] && [ "$failed" != 0 ]; then status=1; fi
exit "$status"
