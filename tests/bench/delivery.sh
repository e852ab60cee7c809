#!/usr/bin/env bash
# Reads the sample content back through the content delivery API (issue 15: "a script reads the same content through
# the delivery API"). For every sample file in umbraco/content/ marked published, it asks the API for the item by its
# key, checks the type and the document's text fields against the file, asks again by the item's route, checks the
# same item comes back, and prints one line per item and a summary. Exit code 1 on any difference.
#
#   bash tests/bench/delivery.sh                                   # starts the built app (Release) on a fresh content root
#   BASE_URL=http://localhost:5080 bash tests/bench/delivery.sh    # reads a running site instead
#
# The app it starts listens on 127.0.0.1 only and is stopped, and its temp folder removed, when the script ends.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP_DLL="$REPO/src/Portfolio.Web/bin/Release/net10.0/Portfolio.Web.dll"
tmp=""
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [[ -n "$tmp" ]]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT

if [[ -z "${BASE_URL:-}" ]]; then
  [[ -f "$APP_DLL" ]] || { echo "delivery.sh: build first: dotnet build -c Release" >&2; exit 2; }
  tmp="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
  BASE_URL="http://127.0.0.1:$port"
  # Development: no public URL needed; the sample content is imported on the empty database's first start.
  ASPNETCORE_ENVIRONMENT=Development dotnet "$APP_DLL" --contentRoot "$tmp" --urls "$BASE_URL" >"$tmp/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -fs "$BASE_URL/health/ready" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "delivery.sh: the app stopped:" >&2; tail -20 "$tmp/app.log" >&2; exit 2; fi
    sleep 1
  done
  curl -fs "$BASE_URL/health/ready" >/dev/null || { echo "delivery.sh: the app did not become ready" >&2; exit 2; }
fi

BASE_URL="$BASE_URL" CONTENT_DIR="$REPO/umbraco/content" python3 - <<'PY'
import glob, json, os, sys, urllib.error, urllib.parse, urllib.request

base = os.environ["BASE_URL"].rstrip("/") + "/umbraco/delivery/api/v2/content"

def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None

def text_fields(document):
    """The document's plain text values, as the API delivers them unchanged (Markdown and references are converted)."""
    return {key: value for key, value in document.items() if isinstance(value, str) and value and not key.endswith("Url")}

problems, checked = [], 0
files = sorted(glob.glob(os.path.join(os.environ["CONTENT_DIR"], "**", "*.json"), recursive=True))
for path in files:
    with open(path, encoding="utf-8") as handle:
        sample = json.load(handle)
    if not sample.get("published"):
        continue
    checked += 1
    name = os.path.relpath(path, os.environ["CONTENT_DIR"])
    status, item = get(f"{base}/item/{sample['key']}")
    if status != 200:
        problems.append(f"{name}: by id answered {status}")
        continue
    if item["contentType"] != sample["type"]:
        problems.append(f"{name}: type {item['contentType']}, file says {sample['type']}")
    properties = item["properties"]
    for key, value in text_fields(sample["document"]).items():
        delivered = properties.get(key)
        if isinstance(delivered, dict) and "markup" in delivered:
            continue  # Markdown, delivered as HTML
        if isinstance(delivered, (dict, list)):
            continue  # a reference, delivered as a link to the item
        if key in properties and delivered != value:
            problems.append(f"{name}: {key} differs")
    route = item["route"]["path"]
    if route is not None:
        status, again = get(f"{base}/item{urllib.parse.quote(route)}")
        if status != 200 or again["id"] != item["id"]:
            problems.append(f"{name}: by route {route} answered {status}")
    print(f"ok  {item['contentType']:<16} {route or '(no page)':<45} {item['name']}" if not any(p.startswith(name + ":") for p in problems)
          else f"BAD {name}")

status, listing = get(f"{base}?take=100")
total = listing["total"] if listing else 0
print(f"\n{checked} published sample items read by id and route; the API lists {total} published items in all.")
if total < checked:
    problems.append(f"the query lists {total} items, fewer than the {checked} published samples")
for problem in problems:
    print("  " + problem, file=sys.stderr)
print(f"{len(problems)} differences.")
sys.exit(1 if problems else 0)
PY
