#!/usr/bin/env bash
# Mutation testing of the rule engine (src/Reminders.Domain) with Stryker.NET, through the domain tests.
# The standard wants a mutation score above 90 %: the run fails below it (thresholds in
# tests/Reminders.Domain.Tests/stryker-config.json). Not part of scripts/test.sh: a full run takes about 20 minutes
# on 2 cores, about 40 with --concurrency 1.
#
# Installs dotnet-stryker (pinned version) into a local tool path when missing, then runs it. Extra arguments go to
# Stryker, e.g. one file group and one core:
#   scripts/mutation.sh --mutate "**/EService/*.cs" --concurrency 1
# Reports (html, json) go to artifacts/mutation/reports unless STRYKER_OUTPUT names another directory.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

version=5.1.0
tools="${STRYKER_TOOL_PATH:-$PWD/.tools/stryker}"
if [ ! -x "$tools/dotnet-stryker" ] || [ ! -d "$tools/.store/dotnet-stryker/$version" ]; then
  dotnet tool uninstall dotnet-stryker --tool-path "$tools" >/dev/null 2>&1 || true
  dotnet tool install dotnet-stryker --version "$version" --tool-path "$tools"
fi

output="${STRYKER_OUTPUT:-$PWD/artifacts/mutation}"
cd tests/Reminders.Domain.Tests
exec "$tools/dotnet-stryker" --config-file stryker-config.json --output "$output" "$@"
