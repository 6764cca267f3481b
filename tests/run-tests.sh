#!/usr/bin/env bash
# Runs every test project and ends with one line "N passed, N failed" summing them all.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
status=0
passed=0
failed=0
# The failures again, just above the summary: CI shows a log's tail, and a failure in the middle of 400 lines is lost.
recap=$(mktemp)
for project in tests/*/*.Tests.csproj; do
  log=$(mktemp)
  dotnet test "$project" -c Release --no-restore --logger "console;verbosity=normal" >"$log" 2>&1
  [ $? -eq 0 ] || status=1
  # One line per test; for a failure, its name, then its message (the lines between "Error Message:" and "Stack Trace:").
  awk '/^[[:space:]]+(Passed|Skipped) / { print; next }
       /^[[:space:]]+Failed [A-Za-z]/ { print; failing = 1; next }
       failing && /^[[:space:]]+Error Message:/ { inmsg = 1; next }
       failing && /^[[:space:]]+Stack Trace:/ { inmsg = 0; failing = 0; next }
       inmsg { print "      " $0; next }
       / error / { print }' "$log" | tee -a "$recap.all"
  grep -E '^[[:space:]]+Failed [A-Za-z]|^      ' "$recap.all" >>"$recap" 2>/dev/null
  rm -f "$recap.all"
  p=$(sed -nE 's/^\s+Passed: +([0-9]+)\s*$/\1/p' "$log" | tail -1)
  f=$(sed -nE 's/^\s+Failed: +([0-9]+)\s*$/\1/p' "$log" | tail -1)
  if [ -z "$p" ] && [ -z "$f" ]; then
    echo "$project: no test ran"; tail -30 "$log"; status=1
  fi
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  rm -f "$log"
done
[ "$failed" -eq 0 ] || status=1
if [ -s "$recap" ]; then
  echo "Failed tests (again, with their messages):"
  head -120 "$recap"
fi
rm -f "$recap"
echo "$passed passed, $failed failed"
exit $status
