"""Reference for the runtime's face alignment (FaceAligner): Umeyama's similarity by SVD and a
bilinear warp written in numpy, independent of the C# closed form.

usage: align_reference.py FRAME.npy REQUEST.json OUT.npy
FRAME.npy: uint8 [h, w, 3]. REQUEST.json: {"source": [[x, y] x5], "target": [[x, y] x5],
"width": W, "height": H}. OUT.npy: uint8 [H, W, 3]; the 2x3 matrix is printed as JSON.
"""
import json
import sys

import numpy as np


def umeyama(src, dst):
    """Least-squares similarity src -> dst (Umeyama 1991), no reflection."""
    n = src.shape[0]
    mu_s, mu_d = src.mean(0), dst.mean(0)
    s_c, d_c = src - mu_s, dst - mu_d
    cov = d_c.T @ s_c / n
    u, sig, vt = np.linalg.svd(cov)
    d = np.ones(2)
    if np.linalg.det(cov) < 0:
        d[-1] = -1
    rot = u @ np.diag(d) @ vt
    var_s = (s_c ** 2).sum() / n
    scale = (sig * d).sum() / var_s
    t = mu_d - scale * rot @ mu_s
    return np.hstack([scale * rot, t[:, None]])


def warp(frame, m, width, height):
    """Every output pixel centre (x, y) sampled at M^-1 (x, y) bilinearly; outside is black."""
    h, w, _ = frame.shape
    a = m[:, :2]
    inv = np.linalg.inv(a)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    pts = np.stack([xs - m[0, 2], ys - m[1, 2]], -1) @ inv.T
    sx, sy = pts[..., 0], pts[..., 1]
    x0, y0 = np.floor(sx).astype(np.int64), np.floor(sy).astype(np.int64)
    fx, fy = sx - x0, sy - y0
    out = np.zeros((height, width, 3))
    img = frame.astype(np.float64)
    for dx, dy, wgt in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        px, py = x0 + dx, y0 + dy
        inside = (px >= 0) & (py >= 0) & (px < w) & (py < h)
        vals = np.zeros((height, width, 3))
        vals[inside] = img[py[inside], px[inside]]
        out += wgt[..., None] * vals
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def main():
    frame = np.load(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        req = json.load(f)
    m = umeyama(np.array(req["source"], float), np.array(req["target"], float))
    np.save(sys.argv[3], warp(frame, m, req["width"], req["height"]))
    print(json.dumps(m.tolist()))


if __name__ == "__main__":
    main()
