#!/usr/bin/env bash
# Regenerates EF Core's compiled models (src/Portfolio.Web/Data/CompiledModels/{Sqlite,Postgres}) from the model in
# PortfolioDbContext. Run it after every model change, beside the two `dotnet ef migrations add`: the app loads the
# compiled model instead of building its own at start (about 0.15–0.2 s of every start, docs/performance.md), and EF
# Core would use a stale one without a word. MigrationsTests.CompiledModelsMatchTheModel fails until it has been run.
#
#   tests/compiled-models.sh            # builds, then regenerates both
#   tests/compiled-models.sh --no-build # after a build of the Debug configuration
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  rm -rf "src/Portfolio.Web/Data/CompiledModels/$provider"
  dotnet ef dbcontext optimize --project src/Portfolio.Web --context "${provider}PortfolioDbContext" \
    --output-dir "Data/CompiledModels/$provider" --namespace "Portfolio.Web.Data.CompiledModels.$provider" "$@" >/dev/null
  # dotnet ef writes no-build runs in the configuration it is given; the first run builds the project once for both.
  [[ " $* " == *" --no-build "* ]] || set -- "$@" --no-build
done
echo "Compiled models written to src/Portfolio.Web/Data/CompiledModels/{Sqlite,Postgres}."
