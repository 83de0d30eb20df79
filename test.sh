#!/usr/bin/env bash
# Runs every test of the solution, as CI does. Installs first whatever the tests need that a fresh machine lacks.
# Results (one TRX file per test project) go to artifacts/test-results; .ci/run counts them.
set -euo pipefail
cd "$(dirname "$0")"

# The PostgreSQL tests start a private server (initdb, pg_ctl), which needs the server binaries and, as root, a user to
# run as: PostgreSQL refuses to run as root.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if [ "$(id -u)" = 0 ] && ! id -u postgres >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
fi

# The docs pages are checked in a real headless browser: Debian's chromium.
command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# The NativeAOT test (VersionKit.Aot.Tests) links the native binary with gcc (CppCompilerAndLinker in its app's project):
# the machines come with it; a bare one gets it here. The ILCompiler package itself comes from NuGet at restore.
command -v gcc >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc >/dev/null)

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
