"""Reads a TF.js weights manifest and its binary shards into float32 numpy arrays.

The format (tfjs-core io): the manifest is a list of groups, each naming its shard files
("paths") and its tensors in byte order ("weights": name, shape, dtype, optional
"quantization"). A group's shards are one byte stream cut into files. A quantised tensor holds
one uint8 (or uint16) per value; TF.js decodes it as value = q * scale + min. Unquantised
float32 tensors hold four little-endian bytes per value.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

_QUANT_TYPES = {"uint8": np.uint8, "uint16": np.uint16}
_PLAIN_TYPES = {"float32": np.float32, "int32": np.int32}


def load_weight_map(manifest_path: Path) -> dict[str, np.ndarray]:
    """Every tensor of the manifest, decoded to float32, keyed by its TF.js name."""
    manifest_path = Path(manifest_path)
    groups = json.loads(manifest_path.read_text())
    weights: dict[str, np.ndarray] = {}
    for group in groups:
        data = b"".join((manifest_path.parent / p).read_bytes() for p in group["paths"])
        offset = 0
        for entry in group["weights"]:
            name, shape, dtype = entry["name"], tuple(entry["shape"]), entry["dtype"]
            count = int(np.prod(shape)) if shape else 1
            quant = entry.get("quantization")
            if quant is not None:
                qtype = _QUANT_TYPES.get(quant["dtype"])
                if qtype is None:
                    raise ValueError(f"{manifest_path.name}: {name}: quantisation {quant['dtype']} is not supported")
                size = count * np.dtype(qtype).itemsize
                q = np.frombuffer(data, dtype=qtype, count=count, offset=offset)
                # tfjs-core's decodeWeight: q * scale + min in double precision, stored as float32.
                value = (q.astype(np.float64) * float(quant["scale"]) + float(quant["min"])).astype(np.float32)
            else:
                ptype = _PLAIN_TYPES.get(dtype)
                if ptype is None:
                    raise ValueError(f"{manifest_path.name}: {name}: dtype {dtype} is not supported")
                size = count * np.dtype(ptype).itemsize
                value = np.frombuffer(data, dtype=np.dtype(ptype).newbyteorder("<"), count=count, offset=offset).astype(np.float32)
            offset += size
            weights[name] = value.reshape(shape)
        if offset != len(data):
            raise ValueError(f"{manifest_path.name}: the manifest describes {offset} bytes, the shards hold {len(data)}")
    return weights
