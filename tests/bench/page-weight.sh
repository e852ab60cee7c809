#!/usr/bin/env bash
# Page weight of every public page, as a browser on a first visit gets it from the published app: bytes transferred
# (response headers and bodies, compressed as sent) and requests for the HTML and what it loads that is not an image
# (stylesheets, scripts, fonts). The goal (issue 16): every public page under 60 KB without images.
#
#   bash tests/bench/page-weight.sh
#
# Knobs (environment): SKIP_BUILD=1 (reuse the publish that tests/bench/run.sh or this script left in
# tests/bench/results/.publish), ENCODING (the Accept-Encoding sent, default "gzip, deflate, br, zstd" as Chromium
# sends it; "identity" shows the bytes without compression), KEEP=1 (keep the temp dir).
#
# The pages are the sitemap's URLs plus the contact page and one booking page. Everything listens on 127.0.0.1;
# the trap stops the app it started.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RESULTS_DIR="$REPO/tests/bench/results"
ENCODING="${ENCODING:-gzip, deflate, br, zstd}"
WORK="$(mktemp -d /tmp/portfolio-weight.XXXXXX)"
APP_DIR="$WORK/app"
APP_PID=""

log() { printf '[weight %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

cleanup() {
  local status=$?
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed"

cached="$RESULTS_DIR/.publish"
if [[ "${SKIP_BUILD:-0}" == 1 && -x "$cached/Portfolio.Web" ]]; then
  cp -a "$cached" "$APP_DIR"
else
  log "dotnet publish -c Release"
  dotnet publish "$REPO/src/Portfolio.Web" -c Release -o "$APP_DIR" --nologo -v quiet >"$WORK/publish.log" 2>&1 ||
    { cat "$WORK/publish.log" >&2; die "publish failed"; }
  mkdir -p "$RESULTS_DIR"
  rm -rf "$cached" && cp -a "$APP_DIR" "$cached"
fi

port=$((20000 + RANDOM % 40000))
root="$WORK/root"
mkdir -p "$root"
cp "$REPO/appsettings.json" "$root/"
ASPNETCORE_ENVIRONMENT=Production "$APP_DIR/Portfolio.Web" --contentRoot "$root" --urls "http://127.0.0.1:$port" \
  --Site:PublicUrl="http://127.0.0.1:$port" >"$WORK/app.log" 2>&1 </dev/null &
APP_PID=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/health/ready" || true)" == 200 ]] && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; die "the app exited"; }
  sleep 0.1
done

commit="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
mkdir -p "$RESULTS_DIR"
BASE="$base" ENCODING="$ENCODING" COMMIT="$commit" python3 - <<'PY' | tee "$RESULTS_DIR/page-weight-latest.md"
import os, re, subprocess, sys, time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

base, encoding = os.environ["BASE"], os.environ["ENCODING"]

def fetch(url):
    """(header bytes, body bytes as sent, body as sent, content-encoding) of one GET, as curl saw it on the wire."""
    out = subprocess.run(["curl", "-s", "--max-time", "30", "-H", f"Accept-Encoding: {encoding}", "-D", "-", "-o", "/tmp/.pw-body",
                          "-w", "\n%{http_code} %{size_header} %{size_download}", url], capture_output=True, text=True, check=True).stdout
    *headers, last = out.rstrip("\n").split("\n")
    status, header_bytes, body_bytes = last.split()
    if status != "200":
        raise SystemExit(f"GET {url} answered {status}")
    content_encoding = next((h.split(":", 1)[1].strip() for h in headers if h.lower().startswith("content-encoding:")), "")
    with open("/tmp/.pw-body", "rb") as f:
        body = f.read()
    return int(header_bytes), int(body_bytes), body, content_encoding

def decode(body, content_encoding):
    if content_encoding == "gzip":
        import gzip; return gzip.decompress(body)
    if content_encoding == "br":
        # The standard library has no Brotli: ask the app for the same page uncompressed instead.
        return None
    return body

class Assets(HTMLParser):
    def __init__(self):
        super().__init__(); self.found = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel: self.found.append(("css", a["href"]))
        elif tag == "link" and "preload" in rel and a.get("as") in ("style", "script", "font"): self.found.append((a["as"], a["href"]))
        elif tag == "script" and a.get("src"): self.found.append(("js", a["src"]))

def plain(url):
    return subprocess.run(["curl", "-s", "--max-time", "30", url], capture_output=True, check=True).stdout

sitemap = plain(base + "/sitemap.xml").decode()
pages = [urlparse(u).path for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
team = [p for p in pages if re.fullmatch(r"/team/[^/]+", p)]
extra = ["/contact"] + ([team[0] + "/book"] if team else [])
pages += [p for p in extra if p not in pages]

rows, worst = [], (0, "")
for page in pages:
    h, b, body, enc = fetch(base + page)
    html = decode(body, enc) or plain(base + page)
    parser = Assets(); parser.feed(html.decode())
    total, requests, parts = h + b, 1, [f"HTML {b / 1024:.1f}"]
    for kind, href in parser.found:
        url = urljoin(base + page, href)
        if urlparse(url).netloc != urlparse(base).netloc: continue
        ah, ab, _, _ = fetch(url)
        total += ah + ab; requests += 1
        parts.append(f"{href.rsplit('/', 1)[-1]} {ab / 1024:.1f}")
    rows.append((page, total, requests, ", ".join(parts)))
    worst = max(worst, (total, page))

print(f"Page weight, first visit, Accept-Encoding: {encoding} — commit {os.environ['COMMIT']}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
print()
print("| page | KB transferred (headers + bodies) | requests | bodies as sent, KB |")
print("|---|---|---|---|")
for page, total, requests, parts in rows:
    print(f"| `{page}` | {total / 1024:.1f} | {requests} | {parts} |")
print()
print(f"Heaviest: `{worst[1]}` at {worst[0] / 1024:.1f} KB; goal < 60 KB: {'met' if worst[0] < 60 * 1024 else 'NOT met'}.")
PY
