#!/usr/bin/env bash
# Installs models/faceapi's pinned npm packages (@vladmandic/face-api, @tensorflow/tfjs and its
# CPU backend; package-lock.json) with `npm ci`: the trained weights `make face-models` exports
# and the reference `make test` compares against. Idempotent: skipped while node_modules matches
# the lock file. No install scripts run (tfjs needs none; nothing native is fetched).
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/models/faceapi"
stamp="$dir/node_modules/.edgeemo-lock.sha256"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup-faceapi: $tool is required for the face-api.js models and their reference test (Debian: apt-get install nodejs npm)" >&2
    exit 1
  fi
done

want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "setup-faceapi: npm packages present"
  exit 0
fi

echo "setup-faceapi: npm ci in models/faceapi"
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
