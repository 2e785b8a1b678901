#!/usr/bin/env bash
# Installs the edgeemo deploy bundle (`make publish-jetson`) on a Jetson and enables the service.
# Run it from the unpacked bundle (INSTALL.md beside it):
#
#   sudo ./install.sh [--pack ID] [--mender] [--no-start] [--root DIR]
#
#   --pack ID    if no pack is active yet, install the bundled packs/ID and make it the active one
#   --mender     also install the Mender update module for model bundles (mender/README.md)
#   --no-start   install and enable, but neither check the config nor (re)start the service
#   --root DIR   install into the root file system at DIR (an image, e.g. L4T's rootfs before
#                flashing) instead of this machine: implies --no-start, since the config names
#                the target's paths and this machine need not run arm64 code
#
# Where things go (docs/operations.md): the app and its docs /usr/lib/edgeemo, config /etc/edgeemo
# (kept if present), state /var/lib/edgeemo (queue, packs/active), cache /var/cache/edgeemo.
# Idempotent: re-running upgrades the app and keeps config, state and caches. An upgrade is staged
# beside the running app and checked against the config first: if the check fails, nothing changes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pack=""
mender=false
start=true
root=""

die() { echo "install: $*" >&2; exit 1; }
usage() { sed -n '5,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --pack) [ $# -ge 2 ] || die "--pack needs a pack id (one of: $(ls "$here/packs" 2>/dev/null | paste -sd ' ' -))"; pack=$2; shift 2 ;;
    --mender) mender=true; shift ;;
    --no-start) start=false; shift ;;
    --root) [ $# -ge 2 ] || die "--root needs a folder"; root=$(cd "$2" 2>/dev/null && pwd) || die "--root $2: not a folder"; start=false; shift 2 ;;
    -h|--help) usage ;;
    *) echo "install: unknown argument '$1'" >&2; usage ;;
  esac
done

# The bundle: complete and undamaged, before anything on the system is touched.
[ -x "$here/bin/edgeemo" ] ||
  die "$here/bin/edgeemo not found: run install.sh from an unpacked bundle (make publish-jetson writes dist/edgeemo-VERSION-linux-arm64.tar.gz; see deploy/jetson/INSTALL.md)"
for f in VERSION SHA256SUMS edgeemo.service edgeemo.json; do
  [ -f "$here/$f" ] || die "$here/$f missing: the bundle is incomplete; unpack it again"
done
(cd "$here" && sha256sum --check --quiet --strict SHA256SUMS >&2) ||
  die "the bundle in $here does not match its SHA256SUMS (files above): unpack it again from the tarball"
version=$(cat "$here/VERSION")
if [ -n "$pack" ] && { [[ ! $pack =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || [ ! -f "$here/packs/$pack/manifest.json" ]; }; then
  die "--pack $pack: no such pack in the bundle (it has: $(ls "$here/packs" | paste -sd ' ' -))"
fi

[ "$(id -u)" -eq 0 ] || die "run as root (sudo ./install.sh ...)"
if [ -n "$root" ]; then
  [ -f "$root/etc/passwd" ] && [ -f "$root/etc/group" ] || die "--root $root: no etc/passwd or etc/group: not a root file system"
else
  machine=$(uname -m)
  [ "$machine" = aarch64 ] || die "this bundle is for linux-arm64 (Jetson); this machine is $machine (use --root DIR to install into an arm64 image)"
fi

# The service user, in the groups that own the camera, sound and I2C device nodes.
ids=()
[ -z "$root" ] || ids=(--root "$root")
has_group() { if [ -n "$root" ]; then grep -q "^$1:" "$root/etc/group"; else getent group "$1" >/dev/null; fi; }
has_user() { if [ -n "$root" ]; then grep -q "^$1:" "$root/etc/passwd"; else getent passwd "$1" >/dev/null; fi; }
group_id() { if [ -n "$root" ]; then awk -F: -v g="$1" '$1 == g { print $3 }' "$root/etc/group"; else getent group "$1" | cut -d: -f3; fi; }
user_id() { if [ -n "$root" ]; then awk -F: -v u="$1" '$1 == u { print $3 }' "$root/etc/passwd"; else id -u "$1"; fi; }

has_group edgeemo || groupadd "${ids[@]}" --system edgeemo
has_user edgeemo || useradd "${ids[@]}" --system --gid edgeemo --home-dir /var/lib/edgeemo --shell /usr/sbin/nologin --comment "EdgeEmotion agent" edgeemo
for g in video audio i2c; do
  if has_group "$g"; then
    usermod "${ids[@]}" -aG "$g" edgeemo
  else
    echo "install: no group '$g' here: the agent will not open those devices (deploy/jetson/sensors-*.md)" >&2
  fi
done
uid=$(user_id edgeemo)
gid=$(group_id edgeemo)

# Config (kept when present), state, cache.
mkdir -p "$root/var/lib" "$root/var/cache" "$root/usr/lib" "$root/etc/systemd/system"
install -d -m 0750 -o 0 -g "$gid" "$root/etc/edgeemo"
config=/etc/edgeemo/edgeemo.json
if [ -f "$root$config" ]; then
  echo "install: keeping $config"
else
  install -m 0640 -o 0 -g "$gid" "$here/edgeemo.json" "$root$config"
  echo "install: installed the example config as $config: set deviceId, mqtt and sources (docs/config.md)"
fi
install -d -m 0750 -o "$uid" -g "$gid" "$root/var/lib/edgeemo" "$root/var/lib/edgeemo/packs" "$root/var/cache/edgeemo"

# A first pack, in the store layout `edgeemo models install` keeps: packs/<id>-<version> and the
# relative symlink packs/active, switched by rename. An active pack is never replaced here.
store=$root/var/lib/edgeemo/packs
if [ -n "$pack" ]; then
  if [ -L "$store/active" ]; then
    echo "install: keeping the active pack $(readlink "$store/active") (--pack $pack not used; change packs with edgeemo models install)"
  else
    manifest=$here/packs/$pack/manifest.json
    # The first "id" and "version" of a manifest are its top-level ones (docs/model-pack.md).
    field() { sed -n -E "s/^[[:space:]]*\"$1\"[[:space:]]*:[[:space:]]*\"([^\"]*)\".*/\\1/p" "$manifest" | head -n 1; }
    pack_id=$(field id)
    pack_version=$(field version)
    [[ $pack_id =~ ^[A-Za-z0-9._-]+$ && $pack_version =~ ^[A-Za-z0-9.+-]+$ ]] ||
      die "--pack $pack: cannot read a plain id and version from $manifest (got '$pack_id', '$pack_version')"
    folder=$pack_id-$pack_version
    if [ ! -d "$store/$folder" ]; then
      rm -rf "$store/.staging-install"
      cp -R "$here/packs/$pack" "$store/.staging-install"
      chown -R "$uid:$gid" "$store/.staging-install"
      mv -T "$store/.staging-install" "$store/$folder"
    fi
    ln -sfn "$folder" "$store/.link-install"
    mv -T "$store/.link-install" "$store/active"
    echo "install: active pack $folder"
  fi
fi

# The app: staged beside the installed one, checked, then swapped in.
app=$root/usr/lib/edgeemo
staged=$app.new
rm -rf "$staged"
cp -R --preserve=mode,timestamps "$here/bin" "$staged"
cp -R --preserve=mode,timestamps "$here/docs" "$staged/docs"
cp --preserve=mode,timestamps "$here/VERSION" "$staged/VERSION"
chmod -R u+rwX,go+rX,go-w "$staged"

if $start; then
  # A bad key is named here, not in a restart loop. Exit 1 means the config is valid but a sensor it
  # names is missing on this device: the agent runs with that modality reported missing, so go on.
  check=0
  runuser -u edgeemo -- "$staged/edgeemo" run --config "$config" --check || check=$?
  if [ "$check" -eq 1 ]; then
    echo "install: the sensors marked 'failed' above are missing or unusable: installing anyway; those modalities are reported missing until fixed (deploy/jetson/sensors-*.md)" >&2
  elif [ "$check" -ne 0 ]; then
    rm -rf "$staged"
    die "the config check failed (above): nothing was upgraded. Fix $config (docs/config.md; no pack yet? --pack ID or edgeemo models install; no TensorRT build yet? drop inference.nativeLibraryPath to run on the CPU) and run install.sh again"
  fi
fi

if [ -d "$app" ]; then
  rm -rf "$app.old"
  mv -T "$app" "$app.old"
fi
mv -T "$staged" "$app"
rm -rf "$app.old"

install -m 0644 "$here/edgeemo.service" "$root/etc/systemd/system/edgeemo.service"
if $mender; then
  install -D -m 0755 "$here/mender/edgeemo-model" "$root/usr/share/mender/modules/v3/edgeemo-model"
  echo "install: Mender update module at /usr/share/mender/modules/v3/edgeemo-model"
fi

if [ -n "$root" ]; then
  systemctl --root="$root" enable edgeemo.service
  echo "install: edgeemo $version installed into $root; the service starts on the device's first boot"
  exit 0
fi

systemctl daemon-reload
systemctl enable edgeemo.service
if $start; then
  systemctl restart edgeemo.service
  systemctl --no-pager status edgeemo.service || true
  echo "install: edgeemo $version installed and started (journalctl -u edgeemo -f)"
else
  echo "install: edgeemo $version installed and enabled, not started (sudo systemctl start edgeemo)"
fi
