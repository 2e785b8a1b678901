#!/usr/bin/env bash
# `make publish-jetson`: the linux-arm64 deploy bundle dist/edgeemo-<version>-linux-arm64.tar.gz.
#
# Layout (deploy/jetson/INSTALL.md describes it for the operator):
#   edgeemo-<version>-linux-arm64/
#     INSTALL.md VERSION SHA256SUMS install.sh edgeemo.service edgeemo.json
#     bin/      the self-contained app (JetPack has no .NET runtime): edgeemo, libcoreclr.so, the
#               NuGet CPU libonnxruntime.so (the device's TensorRT build replaces it by config)
#     docs/     operator docs (docs/*.md, docs/schemas, deploy/jetson/*.md under docs/jetson)
#     mender/   the Mender update module for model bundles
#     packs/    the committed tiny packs, so a fresh install can start and be checked at once
#
# Idempotent: the bundle is rebuilt from scratch each time. The tarball is reproducible where it
# is cheap: sorted names, owner 0, mtime of the last commit, gzip without a name or timestamp.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet=${DOTNET:-dotnet}
configuration=${CONFIG:-Release}
rid=linux-arm64
project=src/EdgeAgent/EdgeEmotion.EdgeAgent.csproj

version=$("$dotnet" msbuild "$project" -nologo -getProperty:Version)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] ||
  { echo "publish-jetson: unexpected Version '$version' from $project" >&2; exit 1; }
name="edgeemo-$version-$rid"
stage="dist/.stage"
root="$stage/$name"
tarball="dist/$name.tar.gz"

rm -rf "$stage"
mkdir -p "$root"

echo "publish-jetson: publishing $project ($configuration, $rid, self-contained)"
# English only: the satellite resource folders would add a dozen languages nobody reads on a device.
# ContinuousIntegrationBuild maps source paths to /_/, so the bundle does not depend on where the checkout is.
"$dotnet" publish "$project" -c "$configuration" -r "$rid" --self-contained true \
  -p:SatelliteResourceLanguages=en -p:ContinuousIntegrationBuild=true -o "$root/bin" -nologo -v quiet

# The face models ship with the app (bin/models/face, faces.modelsDirectory's default), copied by the project.
[ -f "$root/bin/models/face/tiny_face_detector.onnx" ] ||
  { echo "publish-jetson: $root/bin/models/face/tiny_face_detector.onnx missing: the face models must ship with the app" >&2; exit 1; }

cp deploy/jetson/install.sh deploy/jetson/edgeemo.service deploy/jetson/edgeemo.json deploy/jetson/INSTALL.md "$root/"
mkdir -p "$root/mender" "$root/docs/jetson" "$root/packs"
cp deploy/jetson/mender/edgeemo-model deploy/jetson/mender/README.md "$root/mender/"
cp docs/*.md "$root/docs/"
cp -r docs/schemas "$root/docs/"
for doc in deploy/jetson/*.md; do
  [ "$(basename "$doc")" = INSTALL.md ] || cp "$doc" "$root/docs/jetson/"
done
for pack in models/packs/*-tiny; do
  cp -r "$pack" "$root/packs/"
done
printf '%s\n' "$version" > "$root/VERSION"

# Every file but SHA256SUMS itself, in `sha256sum -c` format, paths relative to the bundle root.
(cd "$root" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > SHA256SUMS)

epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
tar --create --format=gnu --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
  --mode='u+rwX,go+rX,go-w' -C "$stage" "$name" | gzip -n -6 > "$tarball.tmp"
mv "$tarball.tmp" "$tarball"
rm -rf "$stage"

echo "publish-jetson: $tarball ($(du -h "$tarball" | cut -f1), $(tar -tzf "$tarball" | grep -vc '/$') files)"
