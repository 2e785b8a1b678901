"""Manifest facts shared by the Python tools (edgeemo_import, verify_packs, flops): names, recipes,
input shapes, score layouts, and the stream view of a version 1 or 2 manifest. No torch here, so
that the checkers stay light. The contract is docs/model-pack.md; the runtime's own checks are
src/Runtime/Packs/ManifestConsistency.cs.
"""

import math
import re

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
OUTPUT_KINDS = ("regression", "probability", "classLogits", "classProbabilities")
# K values per position, one per class label: logits of ordered levels, or probabilities (the model's own softmax).
CLASS_KINDS = ("classLogits", "classProbabilities")

FACE_CLIP = "faceClip"
LOGMEL = "logmel"
WAVEFORM = "waveform"
EDA = "eda"

# Which recipes read which modality kind, and each kind's natural missing-data substitute.
RECIPES_BY_KIND = {"video": (FACE_CLIP,), "audio": (LOGMEL, WAVEFORM), "eda": (EDA,)}
DEFAULT_SUBSTITUTE = {"video": "black", "audio": "silence", "eda": "neutral"}
WAVEFORM_NORMALIZATIONS = ("none", "zscore", "peak")

# Version 1 keeps a modality's recipe parameters under these keys, one recipe per kind.
V1_RECIPE = {"video": (FACE_CLIP, "video"), "audio": (LOGMEL, "audio"), "eda": (EDA, "eda")}


def logmel_frames(p):
    """Spectrogram frames of one segment (center pads nFft/2 on each side)."""
    if p["center"]:
        return 1 + p["segmentSamples"] // p["hopLength"]
    return 1 + (p["segmentSamples"] - p["nFft"]) // p["hopLength"]


def recipe_input_shapes(recipe, p):
    """The backbone input shapes a recipe with parameters `p` can feed, the default first."""
    if recipe == FACE_CLIP:
        shapes = [[1, 3, p["clipFrames"], p["height"], p["width"]]]
        if p["clipFrames"] == 1:
            shapes.append([1, 3, p["height"], p["width"]])  # one face image per clip
        return shapes
    if recipe == LOGMEL:
        return [[1, 1, p["nMels"], logmel_frames(p)]]
    if recipe == WAVEFORM:
        return [[1, p["samples"]], [1, 1, p["samples"]]]
    if recipe == EDA:
        return [[1, 1, p["segmentSamples"]]]
    raise ValueError(f"unknown recipe {recipe!r}")


def score_layout_problem(shape, time_axis, kind, classes, window):
    """None if `shape` is a score layout the runtime reads, else why not.

    With time_axis t: every axis before t is 1, axis t has `window` positions (any count when
    window is None), the axes after t multiply to 1 (regression, probability) or K classes
    (classLogits, classProbabilities). Without: all axes but the last are 1, the last is 1 or K."""
    k = len(classes or []) if kind in CLASS_KINDS else 1
    per_position = f"K = {k} classes" if kind in CLASS_KINDS else "1"
    if time_axis is None:
        if len(shape) < 2 or any(d != 1 for d in shape[:-1]) or shape[-1] != k:
            return (f"a window-level output (no time_axis) is [1, {k}]: every axis but the last 1, the last {per_position}; "
                    f"give time_axis=0 or 1 if the tensor has one value per clip")
        return None
    if time_axis not in (0, 1):
        return f"time_axis {time_axis} is not 0 or 1"
    if len(shape) <= time_axis:
        return f"it has no axis {time_axis}"
    if any(d != 1 for d in shape[:time_axis]):
        return f"the axes before the time axis {time_axis} must be 1"
    if window is not None and shape[time_axis] != window:
        return f"axis {time_axis} (time) has {shape[time_axis]} positions but the window is {window}"
    if math.prod(shape[time_axis + 1:]) != k:
        return f"the axes after the time axis must multiply to {per_position}"
    return None


def streams_of(manifest):
    """Every stream of a version 1 or 2 manifest, in manifest order, as dicts: name, modality, kind,
    recipe, params, backbone, featureDim (None without fusion), imagination (None or the block).
    A version 1 modality is one stream named after it, with fusion.featureDim."""
    out = []
    for mod in manifest["modalities"]:
        if manifest.get("schemaVersion") == 1:
            recipe, key = V1_RECIPE[mod["kind"]]
            out.append({"name": mod["name"], "modality": mod["name"], "kind": mod["kind"], "recipe": recipe,
                        "params": mod.get(key), "backbone": mod["backbone"],
                        "featureDim": manifest["fusion"]["featureDim"], "imagination": None})
            continue
        for s in mod.get("streams", []):
            out.append({"name": s["name"], "modality": mod["name"], "kind": mod["kind"], "recipe": s["recipe"],
                        "params": s.get(s["recipe"]), "backbone": s["backbone"], "featureDim": s.get("featureDim"),
                        "imagination": s.get("imagination")})
    return out


def clip_spacing(manifest):
    """Source frames between consecutive clips: top level in version 2, fusion's in version 1."""
    if manifest.get("schemaVersion") == 1:
        return manifest["fusion"]["clipSpacingFrames"]
    return manifest["clipSpacingFrames"]


def feature_input_source(entry):
    """The stream a fusion/imagination input takes (version 1 names the modality)."""
    return entry.get("stream", entry.get("modality"))
