#!/usr/bin/env bash
# Installs a published edgeemo bundle on a Jetson (or any systemd Linux) and enables the service.
# Usage: sudo deploy/jetson/install.sh BUNDLE_DIR   (BUNDLE_DIR holds the `edgeemo` executable, e.g. the
# output of `dotnet publish src/EdgeAgent -c Release -r linux-arm64 -o BUNDLE_DIR`; the packaged arm64 bundle is issue 7)
# Idempotent: re-running upgrades the binaries and keeps config, state and caches.
set -euo pipefail

bundle=${1:?usage: install.sh BUNDLE_DIR}
[ -x "$bundle/edgeemo" ] || { echo "install: $bundle/edgeemo not found or not executable" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "install: run as root" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)

getent group edgeemo >/dev/null || groupadd --system edgeemo
getent passwd edgeemo >/dev/null || useradd --system --gid edgeemo --home-dir /var/lib/edgeemo --shell /usr/sbin/nologin edgeemo
for g in video audio i2c; do
  getent group "$g" >/dev/null && usermod -aG "$g" edgeemo
done

install -d -m 0755 /usr/lib/edgeemo
cp -a "$bundle"/. /usr/lib/edgeemo/
install -d -m 0750 -o root -g edgeemo /etc/edgeemo
[ -f /etc/edgeemo/edgeemo.json ] || install -m 0640 -o root -g edgeemo "$here/edgeemo.json" /etc/edgeemo/edgeemo.json
install -m 0644 "$here/edgeemo.service" /etc/systemd/system/edgeemo.service

# Check the config before (re)starting: a bad key is named here, not in a restart loop.
runuser -u edgeemo -- /usr/lib/edgeemo/edgeemo run --config /etc/edgeemo/edgeemo.json --check

systemctl daemon-reload
systemctl enable edgeemo.service
systemctl restart edgeemo.service
systemctl --no-pager status edgeemo.service || true
