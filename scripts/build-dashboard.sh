#!/usr/bin/env bash
# Builds the ward dashboard (dashboard/ -> dashboard/dist/) from its npm packages: `npm ci` when
# node_modules was not installed from this package-lock.json, esbuild when a source is newer than the build.
# Idempotent and quiet when there is nothing to do; needs node and npm (scripts/setup.sh).
# No browser is downloaded: the browser test drives Debian's chromium (/usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/../dashboard"

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-dashboard: $tool is not installed: run 'bash scripts/setup.sh' (Debian's nodejs and npm)" >&2; exit 1; }
done

# node_modules is what `npm ci` made from this very lock: its sha256, noted after the install.
stamp=node_modules/.installed-from-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "build-dashboard: npm ci (dashboard/package-lock.json)"
  PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROME_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

if [ -f dist/index.html ] && [ -f dist/app.js ] && \
   [ -z "$(find src build.mjs package-lock.json -newer dist/app.js -print -quit)" ]; then
  exit 0
fi
node build.mjs
