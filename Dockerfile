# The site as a container image. The tests build this very file with podman (tests/container/build-image.sh, from
# local stand-ins for the two base images, as no registry is reachable on the project's machines) and run the image
# (tests/Portfolio.Tests/Deployment/ContainerImageTests.cs: pages, non-root user, read-only root, health check, SIGTERM).
#
#   docker build -t portfolio .
#   docker run -p 8080:8080 -v portfolio-data:/app/umbraco -e Site__PublicUrl=https://www.example.com portfolio
#   docker run --rm -v portfolio-data:/app/umbraco -v "$PWD/backups:/backups" portfolio backup --to /backups/site.tar.gz
#
# The image runs as Production, which requires Site__PublicUrl (the address visitors use: links in mails and pages
# come from it, and other Host headers get 400; the HEALTHCHECK below sends Host: localhost, which stays allowed).
#
# Layout of the runtime image (the content root is /app, as the repository root is in development):
#   /app/bin/                 the published app
#   /app/bin/wwwroot/         the web root: wwwroot's files with their precompressed .br/.gz copies, which the published
#                             endpoints manifest names (the app falls back to it since /app has no wwwroot/)
#   /app/bin/umbraco/content/ sample content, imported on first start (outside the volume, so never hidden)
#   /app/appsettings.json     configuration; override with environment variables (Database__Provider, …)
#   /app/umbraco/             VOLUME: Data (SQLite, data-protection keys, mail pickup), Logs, media

# ---- build --------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# The app is published self-contained, the app and the .NET and ASP.NET Core frameworks compiled ahead of time into one
# composite ReadyToRun image: code that spans the app and the framework (generic collections of the app's types, EF
# Core's and MVC's generic code over them) is then compiled at build time too, where a framework-dependent publish
# leaves it to the JIT at start-up. Measured in turns against the framework-dependent publish (docs/performance.md,
# "Cold start"): the first page about 15 % sooner (0.4 s on this project's 2-core host), with the same private memory
# and 18 MB more resident, the composite image's pages read from its file (shared and clean). The cost is the build:
# the publish compiles the frameworks too (about 3 minutes on 2 cores). The runtime image needs no .NET of its own,
# so it builds FROM runtime-deps. The app is published for the platform being built: this stage runs on it (its FROM
# names no --platform), so dpkg names it (amd64, arm64), as docker's TARGETARCH would; podman 4 does not set that.

# Restore from the project and props files alone: this layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Portfolio.Web/Portfolio.Web.csproj src/Portfolio.Web/
RUN dotnet restore src/Portfolio.Web/Portfolio.Web.csproj -a "$(dpkg --print-architecture)"

COPY . .
RUN dotnet publish src/Portfolio.Web -c Release -o /app/bin --no-restore -a "$(dpkg --print-architecture)" \
      --self-contained -p:PublishReadyToRunComposite=true

# ---- runtime ------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
WORKDIR /app

# SkiaSharp's native library (SkiaSharp.NativeAssets.Linux, used for uploads, image sizes and share cards) links
# libfontconfig.so.1, and through it FreeType and Expat; the base image has none of them. Checked with
# `ldd libSkiaSharp.so`: every other library it needs (libstdc++, libm, libc) is there.
# fonts-dejavu-core gives the share cards (Media/ShareCards.cs) a font to write page titles with when the site's
# WOFF2 font cannot be read; without any font Skia draws no text.
# postgresql-client gives `backup`/`restore` (Backup/BackupCommand.cs) pg_dump, pg_restore and psql for a PostgreSQL site;
# pg_dump must be at least the server's major version (Ubuntu 24.04's client, in Microsoft's images, is 16; the Debian 13
# stand-ins the tests build on have 17; a newer server needs PGDG's packages).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfontconfig1 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*

COPY --from=build /app/bin /app/bin
COPY --from=build /src/appsettings.json /app/appsettings.json
# The app reads sample content from {ContentRoot}/umbraco/content, else from the build output's copy
# (PortfolioPaths.SampleContent). /app/umbraco is a volume, which would hide (or, once created, freeze) a copy
# there, so the sample content lives in the build output only.
COPY --from=build /src/umbraco/content /app/bin/umbraco/content

# The data folder belongs to the unprivileged `app` user of the base image; a new named volume takes over
# this ownership, so the app can write its database, keys, logs and media there.
RUN mkdir -p /app/umbraco/Data /app/umbraco/Logs /app/umbraco/media \
 && chown -R "$APP_UID:$APP_UID" /app/umbraco
VOLUME /app/umbraco

# Listen on 8080 in the container (the development port comes from launchSettings.json, which the
# image does not use). The base image's HTTP_PORTS is cleared so the app does not warn that URLS overrides it.
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 8080

USER $APP_UID

# The image has no curl or wget: bash's /dev/tcp sends the request, and the status line must say 200.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && timeout 5 head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["/app/bin/Portfolio.Web", "--contentRoot", "/app"]
