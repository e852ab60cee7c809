#!/usr/bin/env bash
# Regenerates EF Core's compiled models (src/Portfolio.Web/Data/CompiledModels/{Sqlite,Postgres}) from the model in
# PortfolioDbContext. Run it after every model change, beside the two `dotnet ef migrations add`: the app loads the
# compiled model instead of building its own at start (docs/performance.md, "Cold start"), and EF Core would load a
# stale one without a word. MigrationsTests.CompiledModelsAreGeneratedFromTheCurrentModel fails until it has been run.
#
#   tests/compiled-models.sh
#
# It builds the app in Release (as tests/run.sh does), with both old models removed first: they name the model's
# classes, so a renamed entity or converter would otherwise break the very build that regenerates them.
set -euo pipefail
cd "$(dirname "$0")/.."
models=src/Portfolio.Web/Data/CompiledModels
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# run COMMAND...: quiet unless it fails, then its whole output.
run() { "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "failed: $*" >&2; exit 1; }; }

# Each run of dotnet ef writes a new random model id; keep the old one, so that an unchanged model leaves no diff.
declare -A old_id
for provider in Sqlite Postgres; do
  old_id[$provider]="$(grep -ho 'modelId: new Guid("[0-9a-f-]*")' "$models/$provider/"*ModelBuilder.cs 2>/dev/null || true)"
done

rm -rf "$models/Sqlite" "$models/Postgres"
run dotnet tool restore
run dotnet build src/Portfolio.Web -c Release --nologo
for provider in Sqlite Postgres; do
  run dotnet ef dbcontext optimize --project src/Portfolio.Web --context "${provider}PortfolioDbContext" \
    --output-dir "Data/CompiledModels/$provider" --namespace "Portfolio.Web.Data.CompiledModels.$provider" \
    --configuration Release --no-build
  if [[ -n "${old_id[$provider]}" ]]; then
    sed -i "s/modelId: new Guid(\"[0-9a-f-]*\")/${old_id[$provider]}/" "$models/$provider/"*ModelBuilder.cs
  fi
done
echo "Compiled models written to $models/{Sqlite,Postgres}."
