#!/usr/bin/env bash
# Installs the Debian packages EdgeEmotion needs to build, test, run and export models.
# Idempotent: packages already present are skipped, and apt is not touched when nothing is missing.
# The .NET SDK itself is a prerequisite (see README.md).
set -euo pipefail

packages=(
  # models/export: PyTorch definitions, ONNX export, torchaudio log-mel goldens
  python3 python3-numpy python3-torch python3-torchvision python3-torchaudio python3-onnx
  # OpenCvSharp's native runtime links GTK; Haar/LBP face cascades
  libgtk-3-0 opencv-data
  # test media: sample footage (opencv-doc), speech (espeak-ng), conversion (ffmpeg, sox)
  opencv-doc espeak-ng ffmpeg sox
  # MQTT integration tests and the demo: a real broker and its clients; JSON Schema checks of real messages
  mosquitto mosquitto-clients python3-jsonschema openssl
  # `systemd-analyze verify` of the unit file
  systemd
  # the ALSA microphone source (P/Invoke to libasound.so.2; tests use its `file` PCM plugin)
  libasound2
  # the check of the linux-arm64 bundle (make publish-jetson): its managed commands run under
  # qemu-user with Debian's arm64 C/C++ runtime and OpenSSL (multiarch: the config check loads TLS files)
  qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64
  # the ward dashboard's browser test (dashboard/, docs/dashboard.md): headless Debian chromium
  chromium
)

# The dashboard is built with Node.js and npm (scripts/build-dashboard.sh). A node with its npm
# already on PATH (NodeSource's nodejs, say, which conflicts with Debian's npm) is kept.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (10.0) is required and not on PATH; see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Foreign-architecture packages (name:arch) need that architecture enabled in dpkg first.
for p in "${missing[@]}"; do
  arch=${p#*:}
  if [ "$arch" != "$p" ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    echo "setup: enabling the $arch architecture in dpkg (multiarch)"
    $sudo dpkg --add-architecture "$arch"
  fi
done
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
