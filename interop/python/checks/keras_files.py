"""Keras 3 ``.keras`` and legacy ``.h5`` files, both directions, for
``@trellis/keras-files``. The artifact (``artifact.json``) picks the step:

* ``{"step": "make", "seed": int}`` — builds, compiles (Adam) and trains one
  step of a small Sequential MLP (with Dropout) and a small CNN with
  BatchNormalization, seeded; saves each as ``<name>.keras`` and
  ``<name>.h5`` in the folder; reports, per model, the files' paths, the
  configs as Keras wrote them (``config.json``, ``model_config`` and
  ``training_config``), ``model.get_weights()``, the optimizer's variables
  (values and paths), an input batch and the model's predictions on it.
* ``{"step": "load", "models": {name: {"files": [...], "x": tensor}}}`` —
  ``keras.saving.load_model`` on each file (written by TypeScript into the
  folder), reports its predictions on ``x``, ``get_weights()``, the optimizer
  variables and every warning Keras gave while loading. For ``.h5`` files it
  also reports the optimizer weights as Keras' legacy reader reads them
  (``load_optimizer_weights_from_hdf5_group``): Keras 3's ``load_model`` does
  not restore the optimizer state of a legacy ``.h5`` Sequential model (it
  builds the optimizer on the model's own, empty, variable list), so that is
  where the saved state can be checked.
"""
import json
import os
import zipfile

import h5py
import keras
import numpy as np
from keras.src.legacy.saving import legacy_h5_format

from checks.keras_load import load_model_with_warnings
from oracle.tensors import load_tree, read_json


def _mlp():
    return keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.25),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def _cnn():
    return keras.Sequential(
        [
            keras.Input((8, 8, 2)),
            keras.layers.Conv2D(4, 3, activation=None),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(6, 2, padding="same"),
            keras.layers.BatchNormalization(),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


MODELS = {"mlp": (_mlp, (12,)), "cnn": (_cnn, (8, 8, 2))}


def _optimizer_state(model):
    variables = model.optimizer.variables if model.optimizer is not None else []
    return [np.asarray(v) for v in variables], [v.path for v in variables]


def _make(folder, seed):
    report = {}
    for name, (build, input_shape) in MODELS.items():
        keras.utils.set_random_seed(seed)
        model = build()
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy")
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(16, *input_shape)).astype("float32")
        y = rng.integers(0, 3, size=(16,)).astype("int32")
        model.train_on_batch(x, y)
        keras_path = os.path.join(folder, f"{name}.keras")
        h5_path = os.path.join(folder, f"{name}.h5")
        model.save(keras_path)
        model.save(h5_path)
        with zipfile.ZipFile(keras_path) as zf:
            keras_config = json.loads(zf.read("config.json"))
            keras_metadata = json.loads(zf.read("metadata.json"))
            entries = zf.namelist()
        with h5py.File(h5_path, "r") as f:
            model_config = f.attrs["model_config"]
            model_config = json.loads(model_config.decode("utf-8") if hasattr(model_config, "decode") else model_config)
            training_config = f.attrs.get("training_config")
            training_config = json.loads(training_config.decode("utf-8") if hasattr(training_config, "decode") else training_config)
        values, paths = _optimizer_state(model)
        report[name] = {
            "kerasFile": keras_path,
            "h5File": h5_path,
            "entries": entries,
            "kerasConfig": keras_config,
            "kerasMetadata": keras_metadata,
            "h5Config": model_config,
            "h5TrainingConfig": training_config,
            "weights": model.get_weights(),
            "weightPaths": [w.path for w in model.weights],
            "optimizerVariables": values,
            "optimizerPaths": paths,
            "x": x,
            "predictions": model.predict(x, verbose=0),
        }
    return report


def _load(folder, models):
    report = {}
    for name, spec in models.items():
        out = {}
        for file in spec["files"]:
            path = os.path.join(folder, file)
            model, load_warnings = load_model_with_warnings(path)
            values, paths = _optimizer_state(model)
            out[file] = {
                "predictions": model.predict(spec["x"], verbose=0),
                "weights": model.get_weights(),
                "optimizerVariables": values,
                "optimizerPaths": paths,
                "warnings": load_warnings,
            }
            if file.endswith(".h5"):
                with h5py.File(path, "r") as f:
                    out[file]["h5OptimizerWeights"] = [
                        np.asarray(w) for w in legacy_h5_format.load_optimizer_weights_from_hdf5_group(f)
                    ]
        report[name] = out
    return report


def check(folder):
    artifact = load_tree(folder, read_json(os.path.join(folder, "artifact.json")))
    if artifact["step"] == "make":
        return _make(folder, int(artifact["seed"]))
    if artifact["step"] == "load":
        return _load(folder, artifact["models"])
    raise ValueError(f"unknown step {artifact['step']!r}")
