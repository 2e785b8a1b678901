"""face-api.js's pre- and post-processing around the networks, in numpy.

Used by export_face.py to cut the golden face crops, and the reference for the C# types in
src/Runtime/Faces (same steps, same order). Images are uint8 or float RGB [height, width, 3].
Boxes are (x, y, width, height) in image pixels.
"""

from __future__ import annotations

import math

import numpy as np

from faceapi_nets import DETECTOR_ANCHORS, DETECTOR_IOU_THRESHOLD, FACE_INPUT_SIZE


def resize_bilinear(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=false): source = dest * in/out."""
    in_h, in_w = image.shape[:2]
    src = image.astype(np.float32)
    if (in_h, in_w) == (height, width):
        return src
    ys = np.arange(height, dtype=np.float64) * (in_h / height)
    xs = np.arange(width, dtype=np.float64) * (in_w / width)
    y0 = np.floor(ys).astype(int)
    x0 = np.floor(xs).astype(int)
    y1 = np.minimum(np.ceil(ys).astype(int), in_h - 1)
    x1 = np.minimum(np.ceil(xs).astype(int), in_w - 1)
    fy = (ys - y0).astype(np.float32)[:, None, None]
    fx = (xs - x0).astype(np.float32)[None, :, None]
    top = src[y0][:, x0] + (src[y0][:, x1] - src[y0][:, x0]) * fx
    bottom = src[y1][:, x0] + (src[y1][:, x1] - src[y1][:, x0]) * fx
    return top + (bottom - top) * fy


def pad_to_square(image: np.ndarray, centred: bool) -> np.ndarray:
    """padToSquare: zeros after the short side, or (centred) round(diff/2) after and the rest before."""
    h, w = image.shape[:2]
    if h == w:
        return image.astype(np.float32)
    diff = abs(h - w)
    after = int(math.floor(diff * 0.5 + 0.5)) if centred else diff
    before = diff - after
    pad = ((0, 0), (before, after), (0, 0)) if h > w else ((before, after), (0, 0), (0, 0))
    return np.pad(image.astype(np.float32), pad)


def detector_input(image: np.ndarray, size: int) -> np.ndarray:
    """The detector's NCHW input: the frame padded at its right or bottom to a square, resized."""
    square = resize_bilinear(pad_to_square(image, centred=False), size, size)
    return np.ascontiguousarray(square.transpose(2, 0, 1)[None], dtype=np.float32)


def face_input(image: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The landmark / expression input: extractFaceTensors (box clipped to the image, floored),
    padded to a centred square, resized to 112x112; NCHW."""
    x, y, w, h = clip_box(box, image.shape[1], image.shape[0])
    crop = image[y:y + h, x:x + w]
    square = resize_bilinear(pad_to_square(crop, centred=True), FACE_INPUT_SIZE, FACE_INPUT_SIZE)
    return np.ascontiguousarray(square.transpose(2, 0, 1)[None], dtype=np.float32)


def clip_box(box, image_width: int, image_height: int) -> tuple[int, int, int, int]:
    """Box.clipAtImageBorders: clip to the image, then floor every field."""
    x, y, w, h = box
    cx, cy = max(x, 0.0), max(y, 0.0)
    cw = min(x + w - cx, image_width - cx)
    ch = min(y + h - cy, image_height - cy)
    return int(math.floor(cx)), int(math.floor(cy)), int(math.floor(cw)), int(math.floor(ch))


def _sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def decode_detections(grid: np.ndarray, image_width: int, image_height: int, input_size: int,
                      score_threshold: float = 0.5) -> list[tuple[float, tuple[float, float, float, float]]]:
    """TinyYolov2Base.extractBoxes then NMS (IoU 0.4): (score, box in image pixels), best first."""
    cells = grid.shape[1]
    g = grid.reshape(cells, cells, len(DETECTOR_ANCHORS), 5).astype(np.float64)
    scale = input_size / max(image_width, image_height)
    # JS Math.round (halves up), not Python's round-half-even.
    reshaped_w, reshaped_h = math.floor(image_width * scale + 0.5), math.floor(image_height * scale + 0.5)
    fx, fy = input_size / reshaped_w, input_size / reshaped_h
    found = []
    for row in range(cells):
        for col in range(cells):
            for a, (aw, ah) in enumerate(DETECTOR_ANCHORS):
                tx, ty, tw, th, ts = g[row, col, a]
                score = _sigmoid(ts)
                if score <= score_threshold:
                    continue
                cx = (col + _sigmoid(tx)) / cells * fx
                cy = (row + _sigmoid(ty)) / cells * fy
                w = math.exp(tw) * aw / cells * fx
                h = math.exp(th) * ah / cells * fy
                found.append((score, (cx - w / 2, cy - h / 2, w, h)))
    keep = []
    order = sorted(range(len(found)), key=lambda i: found[i][0])
    while order:
        best = order.pop()
        keep.append(best)
        order = [i for i in order if iou(found[best][1], found[i][1]) <= DETECTOR_IOU_THRESHOLD]
    return [(found[i][0], tuple(v * d for v, d in zip(found[i][1], (image_width, image_height) * 2)))
            for i in keep]


def iou(a, b) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def decode_landmarks(raw: np.ndarray, crop_width: int, crop_height: int,
                     origin: tuple[float, float]) -> np.ndarray:
    """FaceLandmark68NetBase.postProcess then FaceLandmarks: [68, 2] image pixels.

    The 112 square is undone with face-api's symmetric padding |w - h| / 2, the fractions scale
    by the crop's (clipped, floored) size, and the points shift by `origin`: face-api shifts by
    the detection box's own corner, not the floored crop's (up to a pixel apart).
    """
    scale = FACE_INPUT_SIZE / max(crop_width, crop_height)
    sw, sh = crop_width * scale, crop_height * scale
    pad_x = abs(sw - sh) / 2 if sw < sh else 0.0
    pad_y = abs(sw - sh) / 2 if sh < sw else 0.0
    pts = raw.reshape(68, 2).astype(np.float64)
    rel_x = (pts[:, 0] * FACE_INPUT_SIZE - pad_x) / sw
    rel_y = (pts[:, 1] * FACE_INPUT_SIZE - pad_y) / sh
    return np.stack([rel_x * crop_width + origin[0], rel_y * crop_height + origin[1]], axis=1)


def aligned_box(landmarks: np.ndarray, padding: float = 0.2) -> tuple[float, float, float, float]:
    """FaceLandmarks.alignMinBbox: the landmarks' bounding box grown by 20 % of its size."""
    min_x, min_y = landmarks.min(axis=0)
    max_x, max_y = landmarks.max(axis=0)
    w, h = max_x - min_x, max_y - min_y
    return (min_x - w * padding / 2, min_y - h * padding / 2, w * (1 + padding), h * (1 + padding))
