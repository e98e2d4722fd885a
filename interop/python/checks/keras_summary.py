"""Builds a Sequential model from a Trellis model's layer configs
(``artifact.json``: ``{inputShape, layers}``), or a functional model from its
graph (``{functional: {inputs, layers, outputs, name}}``, as the ``functionalFit``
oracle kind takes it), and reports Keras' own ``model.summary()`` text."""
import os

from oracle.kinds import functional, sequential
from oracle.tensors import read_json


def check(folder):
    artifact = read_json(os.path.join(folder, "artifact.json"))
    model = functional(artifact["functional"])[0] if "functional" in artifact else sequential(artifact)
    printed = []
    model.summary(print_fn=lambda text, line_break=True: printed.append(text))
    return {"text": "".join(printed)}
