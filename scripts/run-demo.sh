#!/usr/bin/env bash
# `make run`: the demo publishing to a real mosquitto on 127.0.0.1 (1883 if free, else any free
# port), so `mosquitto_sub -h 127.0.0.1 -p PORT -t 'edgeemo/#' -v` works as printed. Without
# mosquitto the demo falls back to its in-process broker. Extra arguments go to `edgeemo demo`.
# PACK (environment): affect (default), pain, a pack name under models/packs (affect-full) or a
# pack folder.
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

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  exec ./bin/edgeemo demo --pack "$pack_dir" "$@"
fi

port=$(/usr/bin/python3 - <<'PY'
import socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
if free(1883):
    print(1883)
else:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
)
dir=$(mktemp -d)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$dir/mosquitto.conf"
"$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$dir/mosquitto.conf" > "$dir/mosquitto.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
  sleep 0.1
done
echo "run: mosquitto on 127.0.0.1:$port"
./bin/edgeemo demo --broker "mqtt://127.0.0.1:$port" --pack "$pack_dir" "$@"
