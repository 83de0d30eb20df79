#!/usr/bin/env bash
# Runs every test of the solution, as CI does. Installs first whatever the tests need that a fresh machine lacks.
# Results (one TRX file per test project) go to artifacts/test-results; .ci/run counts them.
set -euo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build VersionKit.sln -c Release

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  # Benchmarks are a program, not tests: they run on their own command (see docs/performance.md).
  grep -q "<IsTestProject>false</IsTestProject>" "$project" && continue
  echo "== $name"
  dotnet test "$project" -c Release --no-build --results-directory "$results" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" "$@" || status=1
done
exit $status
