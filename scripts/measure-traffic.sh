#!/usr/bin/env bash
# What one bed sends, measured (docs/dashboard.md, "What to plan for"): `edgeemo demo` with a
# pack publishes to a private mosquitto for SECONDS while dashboard/tools/measure-traffic.mjs
# counts every message and byte per topic. Needs `make build` (./bin/edgeemo) and the dashboard's
# npm packages (scripts/build-dashboard.sh).
#   scripts/measure-traffic.sh [SECONDS (120)] [PACK (models/packs/affect-tiny)]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
pack=${2:-models/packs/affect-tiny}
[ -x ./bin/edgeemo ] || { echo "measure-traffic: ./bin/edgeemo is missing: run 'make build'" >&2; exit 1; }
bash scripts/build-dashboard.sh

dir=$(mktemp -d)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nuser %s\n' "$port" "$(id -un)" > "$dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done

# The counter subscribes first; the demo runs a little longer than the count, so the count sees
# steady state only after the agent's start.
node dashboard/tools/measure-traffic.mjs --mqtt "mqtt://127.0.0.1:$port" --seconds "$seconds" > "$dir/counts.json" &
counter=$!
./bin/edgeemo demo --broker "mqtt://127.0.0.1:$port" --pack "$pack" --device-id bed-measured --duration $((seconds + 5)) > "$dir/demo.log" 2>&1 &
demo=$!
wait $counter
wait $demo || true
cat "$dir/counts.json"
