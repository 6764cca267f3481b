#!/usr/bin/env bash
# Runs every test project and ends with one line "N passed, N failed" summing them all.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
status=0
for project in tests/*/*.Tests.csproj; do
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet test "$project" -c Release --no-restore \
    --logger "console;verbosity=normal" 2>&1 | tee -a "$log" | grep -E '^\s*(Failed|Passed|Skipped) |error|Total tests|Passed!|Failed!' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
passed=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Passed: *([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}')
failed=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+),.*/\1/' | awk '{s+=$1} END {print s+0}')
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no test ran" >&2
  failed=1
  status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
