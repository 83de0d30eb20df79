#!/usr/bin/env bash
# Runs every test of the solution, as CI does. Installs first whatever the tests need that a fresh machine lacks.
# Results (TRX) go to artifacts/test-results; .ci/run counts them.
set -euo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet test VersionKit.sln -c Release --results-directory "$results" --logger trx --logger "console;verbosity=minimal" "$@"
