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

BENCH_NAME=weight
ENCODING="${ENCODING:-gzip, deflate, br, zstd}"
# shellcheck source=published-app.sh
source "$(dirname "${BASH_SOURCE[0]}")/published-app.sh"

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
