"""Builds a Sequential model from a Trellis model's layer configs
(``artifact.json``: ``{inputShape, layers}``) and reports Keras' own
``model.summary()`` text."""
import os

from oracle.kinds import sequential
from oracle.tensors import read_json


def check(folder):
    model = sequential(read_json(os.path.join(folder, "artifact.json")))
    printed = []
    model.summary(print_fn=lambda text, line_break=True: printed.append(text))
    return {"text": "".join(printed)}
