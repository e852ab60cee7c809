#!/usr/bin/env bash
# Builds the repository's Dockerfile, unmodified, with Debian's podman: the image the container tests run
# (tests/Portfolio.Tests/Deployment/ContainerImageTests.cs), tagged localhost/portfolio:test.
#
# No container registry is reachable from the project's machines, so the two base images the Dockerfile names are
# made here first, as local stand-ins under exactly those names:
#   mcr.microsoft.com/dotnet/runtime-deps:10.0  a Debian root (debootstrap) with what .NET needs to run (ICU, OpenSSL,
#                                               time zones, CA certificates) and no .NET: the app is self-contained
#   mcr.microsoft.com/dotnet/sdk:10.0           the same with this machine's whole .NET SDK, its CA certificates (the
#                                               egress proxy's among them) and NUGET_CERT_REVOCATION_MODE=offline, for
#                                               `dotnet restore`; the runtime packs of a self-contained publish come
#                                               from NuGet, as in Microsoft's image
# Both provide what the Dockerfile relies on in Microsoft's images: the `app` user (UID 1654) and ENV APP_UID=1654,
# ASPNETCORE_HTTP_PORTS=8080, DOTNET_RUNNING_IN_CONTAINER=true, and bash (the HEALTHCHECK uses it); the SDK's dotnet on
# PATH.
# Microsoft's 10.0 images are Ubuntu 24.04 (noble); this machine reaches only a Debian archive, so the stand-ins are
# Debian 13 (trixie) when its mirror serves it, else Debian 12 (bookworm), with the packages of Microsoft's image.
#
# Idempotent: the debootstrap root is cached as a tarball per suite, outside the repository; the stand-ins are made
# again only when their recipe, the machine's .NET or its CA certificates change (a label on each holds that key); an
# unchanged repository builds from podman's layer cache in seconds.
#
# podman reads only tests/container/containers.conf (CONTAINERS_CONF). The build runs with the host's network, for
# `dotnet restore` and the runtime stage's apt-get; nothing listens. Needs root (apt-get, debootstrap, rootful podman).
#
# Environment (all optional):
#   SKIP_INSTALL=1                 never call apt-get (fail if podman, runc or debootstrap is missing)
#   PORTFOLIO_IMAGE=…              the built image's name (default localhost/portfolio:test)
#   PORTFOLIO_CONTAINER_CACHE=…    where debootstrap roots are cached (default ~/.cache/portfolio-container)
#   PORTFOLIO_CONTAINER_SUITE=…    the stand-ins' Debian suite (default: trixie if the mirror serves it, else bookworm)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$repo_root/tests/container"
image="${PORTFOLIO_IMAGE:-localhost/portfolio:test}"
cache="${PORTFOLIO_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portfolio-container}"
app_uid=1654   # Microsoft's images: groupadd --gid=$APP_UID app && useradd --uid=$APP_UID --gid=$APP_UID --create-home app
label=org.portfolio.stand-in
started=$SECONDS

export CONTAINERS_CONF="$here/containers.conf"
export DEBIAN_FRONTEND=noninteractive

is_set() { [[ "${!1:-}" == "1" || "${!1:-}" == "true" ]]; }
log() { printf '\n==> %s (%ss)\n' "$*" "$((SECONDS - started))"; }
die() { printf 'build-image.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}
[[ $(id -u) == 0 ]] || die "run as root: debootstrap and the stand-ins' images need it (rootless podman keeps its own store)"

# Temp folders on disk (the SDK stand-in's root is ~0.8 GB); removed on exit. --one-file-system: should debootstrap have
# left its /proc or /sys mounted inside a root it was building, rm does not descend into them.
declare -a temp_dirs=()
cleanup() {
  local dir
  for dir in "${temp_dirs[@]}"; do
    [[ -d "$dir" ]] || continue
    grep -o " $dir/[^ ]*" /proc/self/mounts | sort -r | while read -r mount; do umount -l "$mount" || true; done
    rm -rf --one-file-system "$dir"
  done
}
trap cleanup EXIT
new_temp_dir() { local dir; dir="$(mktemp -d "/var/tmp/portfolio-$1.XXXXXX")"; temp_dirs+=("$dir"); echo "$dir"; }

# --- 1. What Debian must provide ----------------------------------------------------------------------------------
# podman with runc (see containers.conf), iptables for its bridge network's published ports, debootstrap for the
# stand-ins' root, curl to ask the mirror which suites it serves. One apt-get update, and only when something is missing.
install_missing_packages() {
  local -a wanted=()
  command -v podman >/dev/null || wanted+=(podman)
  command -v runc >/dev/null || wanted+=(runc)
  [[ -x /usr/sbin/iptables ]] || wanted+=(iptables)
  [[ -x /usr/sbin/debootstrap ]] || wanted+=(debootstrap)
  command -v curl >/dev/null || wanted+=(curl)
  [[ ${#wanted[@]} == 0 ]] && return
  is_set SKIP_INSTALL && die "missing: ${wanted[*]} (SKIP_INSTALL is set, so not installing them)"
  log "Installing from Debian: ${wanted[*]}"
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends "${wanted[@]}"
}

# --- 2. The base images the Dockerfile names -----------------------------------------------------------------------
# Read from the Dockerfile itself, so that a change of base image there fails here instead of building on a stale name.
read_base_images() {
  sdk_image="$(awk '$1 == "FROM" && $2 ~ /\/dotnet\/sdk:/ { print $2; exit }' "$repo_root/Dockerfile")"
  runtime_deps_image="$(awk '$1 == "FROM" && $2 ~ /\/dotnet\/runtime-deps:/ { print $2; exit }' "$repo_root/Dockerfile")"
  [[ -n "$sdk_image" && -n "$runtime_deps_image" ]] || die "the Dockerfile no longer builds FROM dotnet/sdk and runs FROM dotnet/runtime-deps: update this script"
  local others
  others="$(awk '$1 == "FROM" && $2 !~ /\/dotnet\/(sdk|runtime-deps):/ { print $2 }' "$repo_root/Dockerfile")"
  [[ -z "$others" ]] || die "the Dockerfile names base images this script cannot stand in for: $others"
}

# The machine's own .NET SDK, whose version the image tags must match (10.0 → 10.0.x).
read_dotnet() {
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  runtime_version="$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -n 1)"
  aspnet_version="$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -n 1)"
  sdk_version="$(cd "$repo_root" && dotnet --version)"   # the SDK global.json selects, as the build in the image will
  local tag="${sdk_image##*:}"
  [[ "$sdk_version" == "$tag".* && "${runtime_deps_image##*:}" == "$tag" ]] \
    || die "the Dockerfile wants .NET $tag (runtime-deps ${runtime_deps_image##*:}); this machine has SDK $sdk_version"
}

# The Debian archive this machine's apt uses (deb822 .sources or one-line .list), deb.debian.org if none is named.
debian_mirror() {
  local uri
  uri="$( { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
            grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | sed -E 's/\[[^]]*\] //' | awk '{ print $2 }'
          } | grep -E '/debian/?$' | head -n 1 || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

choose_suite() {
  mirror="$(debian_mirror)"
  if [[ -n "${PORTFOLIO_CONTAINER_SUITE:-}" ]]; then suite="$PORTFOLIO_CONTAINER_SUITE"
  elif curl -fsS --max-time 30 -o /dev/null "$mirror/dists/trixie/InRelease"; then suite=trixie
  else suite=bookworm
  fi
  # What Microsoft's runtime-deps image installs on top of Debian for .NET (the names differ between the suites).
  case "$suite" in
    trixie) packages=(ca-certificates libc6 libgcc-s1 libicu76 libssl3t64 libstdc++6 tzdata) ;;
    bookworm) packages=(ca-certificates libc6 libgcc-s1 libicu72 libssl3 libstdc++6 tzdata) ;;
    *) die "no package list for Debian $suite (PORTFOLIO_CONTAINER_SUITE: trixie or bookworm)" ;;
  esac
  echo "Stand-ins on Debian $suite from $mirror"
}

# A minimal Debian root with .NET's dependencies and the `app` user, cached as a tarball keyed by suite and packages.
debian_root_tarball() {
  local key; key="$(printf '%s\n' "$suite" "$mirror" "${packages[@]}" "app:$app_uid" | sha256sum | cut -c1-12)"
  root_tarball="$cache/debian-$suite-$key.tar"
  [[ -f "$root_tarball" ]] && { echo "Cached: $root_tarball"; return; }

  log "debootstrap $suite (once; cached as $root_tarball)"
  mkdir -p "$cache"
  local root; root="$(new_temp_dir debootstrap)"
  timeout 20m debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" "$suite" "$root" "$mirror" \
    >"$root.log" 2>&1 || { tail -n 40 "$root.log" >&2; rm -f "$root.log"; die "debootstrap $suite failed"; }
  rm -f "$root.log"
  chroot "$root" groupadd --gid="$app_uid" app
  chroot "$root" useradd --no-log-init --uid="$app_uid" --gid="$app_uid" --create-home app
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" --numeric-owner -cf "$root_tarball.part" .
  mv "$root_tarball.part" "$root_tarball"
  # Roots of an older recipe for this suite are of no more use.
  find "$cache" -maxdepth 1 -name "debian-$suite-*.tar" ! -path "$root_tarball" -delete
}

# The key a stand-in is labelled with: it is made again when any of these change.
stand_in_key() {
  {
    declare -f make_stand_in   # the recipe, not the rest of this script
    echo "$root_tarball $runtime_version $aspnet_version $sdk_version"
    cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true
  } | sha256sum | cut -c1-16
}

# make_stand_in NAME sdk|runtime-deps: the Debian root, plus the machine's .NET SDK for sdk, imported as one layer named
# NAME.
make_stand_in() {
  local name="$1" kind="$2" key
  key="$(stand_in_key)"
  if [[ "$(podman image inspect --format "{{ index .Labels \"$label\" }}" "$name" 2>/dev/null || true)" == "$key" ]]; then
    echo "Up to date: $name"
    return
  fi

  log "Making the stand-in $name"
  local root; root="$(new_temp_dir "stand-in-$kind")"
  tar -C "$root" --numeric-owner -xf "$root_tarball"
  if [[ "$kind" == sdk ]]; then
    mkdir -p "$root/usr/share/dotnet"
    cp -a "$dotnet_root/." "$root/usr/share/dotnet/"
    ln -s /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
    # The machine's extra CAs (its egress proxy re-signs TLS) join Debian's, so NuGet's HTTPS works in the build stage.
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
    chroot "$root" update-ca-certificates --fresh >/dev/null
  fi

  # The environment of Microsoft's runtime-deps image (the sdk image adds its own).
  local -a changes=(
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    --change "ENV APP_UID=$app_uid"
    --change "ENV ASPNETCORE_HTTP_PORTS=8080"
    --change "ENV DOTNET_RUNNING_IN_CONTAINER=true"
    --change "LABEL $label=$key"
    --change "CMD [\"bash\"]"
  )
  if [[ "$kind" == sdk ]]; then
    changes+=(
      --change "ENV DOTNET_VERSION=$runtime_version"
      --change "ENV ASPNET_VERSION=$aspnet_version"
      --change "ENV DOTNET_SDK_VERSION=$sdk_version"
      --change "ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false"
      --change "ENV DOTNET_NOLOGO=true"
      --change "ENV DOTNET_USE_POLLING_FILE_WATCHER=true"
      --change "ENV NUGET_XMLDOC_MODE=skip"
      # Not in Microsoft's image: the egress proxy answers no certificate revocation lookups, and telemetry's host is
      # not reachable from here.
      --change "ENV NUGET_CERT_REVOCATION_MODE=offline"
      --change "ENV DOTNET_CLI_TELEMETRY_OPTOUT=1"
    )
  fi
  tar -C "$root" --numeric-owner -cf - . | podman import "${changes[@]}" - "$name" >/dev/null
  rm -rf --one-file-system "$root"
}

# Stand-ins of base images the Dockerfile no longer names (the aspnet image's, before the app became self-contained), so
# that they do not keep their space. Only Microsoft's names: images built from a stand-in inherit its label.
remove_old_stand_ins() {
  local name
  podman images --filter "label=$label" --format '{{.Repository}}:{{.Tag}}' | while read -r name; do
    [[ "$name" == mcr.microsoft.com/dotnet/* && "$name" != "$sdk_image" && "$name" != "$runtime_deps_image" ]] || continue
    echo "Removing the stand-in $name: the Dockerfile no longer names it"
    podman rmi "$name" >/dev/null || true
  done
}

# --- 3. The image ------------------------------------------------------------------------------------------------
build_image() {
  log "podman build of the Dockerfile as $image"
  # --format docker: the OCI format has no HEALTHCHECK (podman would drop it with a warning).
  # --pull=never: the stand-ins are the base images; no registry is asked.
  # --network host: `dotnet restore` reaches NuGet and apt-get reaches the Debian mirror as the machine does.
  local -a build=(podman build --format docker --pull=never --network host --layers --file Dockerfile)
  # The build stage first, under a tag of its own: its layers (the restore above all) are no ancestor of the final
  # image, and the prune below would otherwise take them, and the next build would restore and publish from scratch.
  local stage
  stage="$(awk '$1 == "FROM" && $2 ~ /\/dotnet\/sdk:/ && tolower($3) == "as" { print $4; exit }' "$repo_root/Dockerfile")"
  [[ -n "$stage" ]] || die "the Dockerfile's build stage (FROM …/dotnet/sdk:… AS name) has no name"
  (cd "$repo_root" && timeout 40m "${build[@]}" --target "$stage" --tag "$image-$stage-stage" .)
  (cd "$repo_root" && timeout 20m "${build[@]}" --tag "$image" .)
  # Images that lost their tag to this build (an older build, an older stand-in), so that the store does not grow
  # with every change; the layer cache of the current build stays.
  podman image prune --force >/dev/null
}

install_missing_packages
command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"
mkdir -p "$cache"
# One build at a time on this machine (the test fixture runs this script too).
exec 9>"$cache/lock"
flock --timeout 3600 9 || die "another build-image.sh has held $cache/lock for an hour"

read_base_images
read_dotnet
choose_suite
debian_root_tarball
make_stand_in "$runtime_deps_image" runtime-deps
make_stand_in "$sdk_image" sdk
remove_old_stand_ins
build_image
log "Built $image"
