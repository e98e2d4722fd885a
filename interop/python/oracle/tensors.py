"""Tensors in JSON: ``{"$tensor": "name.bin", "dtype": "float32", "shape": [2, 3]}``.

The ``.bin`` file holds the values in row-major order, little-endian, with no
header. Reading and writing walk nested dicts and lists and leave every other
JSON value as it is.
"""
import json
import os

import numpy as np

DTYPES = {"float32": "<f4", "int32": "<i4"}


def load_tree(folder, node):
    """Replaces every tensor reference in ``node`` by a numpy array."""
    if isinstance(node, dict):
        if "$tensor" in node:
            dtype = DTYPES[node["dtype"]]
            values = np.fromfile(os.path.join(folder, node["$tensor"]), dtype=dtype)
            return values.reshape(node["shape"]).astype(dtype[1:], copy=False)
        return {key: load_tree(folder, value) for key, value in node.items()}
    if isinstance(node, list):
        return [load_tree(folder, value) for value in node]
    return node


def save_tree(folder, node, prefix="out"):
    """Writes every numpy array (or jax array) in ``node`` to a ``.bin`` file
    and returns the JSON-ready tree with tensor references in their place."""
    counter = [0]

    def encode(value):
        if isinstance(value, dict):
            return {key: encode(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [encode(item) for item in value]
        if hasattr(value, "shape") and hasattr(value, "dtype"):
            array = np.asarray(value)
            kind = "int32" if np.issubdtype(array.dtype, np.integer) else "float32"
            name = f"{prefix}{counter[0]}.bin"
            counter[0] += 1
            np.ascontiguousarray(array, dtype=DTYPES[kind]).tofile(os.path.join(folder, name))
            return {"$tensor": name, "dtype": kind, "shape": list(array.shape)}
        if isinstance(value, (np.floating, np.integer)):
            return value.item()
        return value

    return encode(node)


def read_json(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def write_json_atomic(path, value):
    """Writes JSON to a temporary file, then renames it over ``path``."""
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as file:
        json.dump(value, file)
    os.replace(partial, path)
