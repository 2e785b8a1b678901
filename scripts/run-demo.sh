#!/usr/bin/env bash
# `make run`: the demo publishing to a real mosquitto on 127.0.0.1 (1883 if free, else any free
# port), so `mosquitto_sub -h 127.0.0.1 -p PORT -t 'edgeemo/#' -v` works as printed; the same
# mosquitto serves the ward dashboard (dashboard/dist, built first when needed) and MQTT over
# WebSockets on a second listener (9001 if free), and the URL to open is printed. Without
# mosquitto the demo falls back to its in-process broker (no dashboard). Extra arguments go to
# `edgeemo demo`.
# PACK (environment): affect (default), pain, a pack name under models/packs (affect-full) or a
# pack folder.
# VIDEO (environment): a video file the demo's camera plays, looping in real time, instead of the
# synthetic moving face photo (any pack). The expression pack plays tests/media/expressions.mp4
# (a real man changing expression) unless VIDEO names another.
set -euo pipefail
cd "$(dirname "$0")/.."

pack=${PACK:-affect}
if [ -f "$pack/manifest.json" ]; then
  pack_dir=$pack
elif [ -f "models/packs/$pack/manifest.json" ]; then
  pack_dir=models/packs/$pack
elif [ -f "models/packs/$pack-tiny/manifest.json" ]; then
  pack_dir=models/packs/$pack-tiny
else
  echo "error: PACK=$pack is not a pack: use affect, pain, a name under models/packs/ ($(ls models/packs | xargs)) or a pack folder" >&2
  exit 2
fi

video=${VIDEO:-}
if [ -z "$video" ] && [ "$(basename "$pack_dir")" = expression ]; then
  video=tests/media/expressions.mp4
fi
video_args=()
if [ -n "$video" ]; then
  video_args=(--video "$video")
fi

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  echo "run: mosquitto is not installed ('bash scripts/setup.sh'): the demo uses its in-process broker, without the dashboard" >&2
  exec ./bin/edgeemo demo --pack "$pack_dir" "${video_args[@]}" "$@"
fi

bash scripts/build-dashboard.sh

# The preferred port when it is free on 127.0.0.1, else any free one.
free_port() {
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
want = int(sys.argv[1])
if free(want):
    print(want)
else:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}
port=$(free_port 1883)
ws_port=$(free_port 9001)
dir=$(mktemp -d)
# The MQTT listener comes first: mosquitto 2.0.11 does not start with WebSockets listeners alone.
# `user`: mosquitto started as root would drop to the mosquitto user, who may not read the checkout.
cat > "$dir/mosquitto.conf" <<CONF
per_listener_settings false
allow_anonymous true
persistence false
user $(id -un)
listener $port 127.0.0.1
listener $ws_port 127.0.0.1
protocol websockets
http_dir $PWD/dashboard/dist
CONF
"$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
  sleep 0.1
done
if ! kill -0 "$broker" 2>/dev/null; then
  echo "run: mosquitto did not start:" >&2
  cat "$dir/mosquitto.log" >&2
  exit 1
fi
echo "run: mosquitto on 127.0.0.1:$port (MQTT) and 127.0.0.1:$ws_port (WebSockets and the dashboard)"
echo "run: open the ward dashboard at http://127.0.0.1:$ws_port/"
./bin/edgeemo demo --broker "mqtt://127.0.0.1:$port" --pack "$pack_dir" "${video_args[@]}" "$@"
