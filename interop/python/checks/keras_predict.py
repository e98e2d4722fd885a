"""Loads a trained Sequential model written by Trellis (layer configs and
weights) into Keras and predicts: the artifact is ``artifact.json`` with
``{inputShape, layers, weights, x}``. Reports Keras' view of the model (layer
classes, output shapes, parameter count) and its predictions on ``x``."""
import os

from oracle.kinds import sequential
from oracle.tensors import load_tree, read_json


def check(folder):
    artifact = load_tree(folder, read_json(os.path.join(folder, "artifact.json")))
    model = sequential(artifact)
    return {
        "layers": [
            {"className": type(layer).__name__, "outputShape": list(layer.output.shape[1:])} for layer in model.layers
        ],
        "parameterCount": int(model.count_params()),
        "predictions": model.predict(artifact["x"], batch_size=1000, verbose=0),
    }
