"""Trellis models as Keras files, both directions, through ``saveModel`` /
``loadModel`` of ``@trellis/serializers``. The artifact picks the step:

* ``{"step": "make", "seed", "k", "m", "batch"}`` — for each small model
  (``mlp``, ``cnn``, ``two``): builds it seeded (its Dropout layers with rate
  0: two libraries cannot draw the same dropout masks, and the files are
  trained further on both sides), compiles it with Adam, trains ``k`` steps
  (``train_on_batch``) on fixed batches, saves ``<name>.keras`` and
  ``<name>.h5``, predicts on a fixed input, then trains ``m`` more steps.
  Also builds ``keras.applications`` MobileNetV2 and
  ResNet50 with ``weights=None`` on 32×32×3 inputs, seeded, and saves them
  as ``.keras``. Reports the files, the batches, the predictions on a fixed
  input and the weights after ``k + m`` steps (``get_weights()`` order).
* ``{"step": "load", "files": {file: {"x", "batches"?}}}`` — ``load_model``
  on each file written by TypeScript, its predictions on ``x``, the warnings
  Keras gave, and — with ``batches`` — the weights after training on them.
"""
import os
import time

# XLA compiles every model's train and predict functions; its optimizations cost more time than
# these small models ever run (float32 results agree to a few ulps either way).
os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0")
import contextlib

import keras
import numpy as np
from keras.src import backend

from checks.keras_load import load_model_with_warnings
from oracle.tensors import load_tree, read_json


def _mlp(rate):
    return keras.Sequential(
        [
            keras.Input((12,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(rate),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def _cnn(rate):
    return keras.Sequential(
        [
            keras.Input((8, 8, 2)),
            keras.layers.Conv2D(4, 3, padding="same", use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.MaxPooling2D(2),
            keras.layers.Dropout(rate),
            keras.layers.Conv2D(6, 2, use_bias=False),
            keras.layers.BatchNormalization(),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def _two(rate):
    a = keras.Input((5,), name="a")
    b = keras.Input((3,), name="b")
    shared = keras.layers.Dense(4, activation="tanh", name="shared")
    ha = shared(keras.layers.Dense(5, name="pre_a")(a))
    hb = shared(keras.layers.Dropout(rate, name="drop_b")(keras.layers.Dense(5, name="pre_b")(b)))
    joined = keras.layers.Concatenate(name="join")([ha, hb])
    return keras.Model([a, b], keras.layers.Dense(2, name="out")(joined), name="two_inputs")


MODELS = {
    "mlp": (_mlp, [(12,)], "sparse_categorical_crossentropy"),
    "cnn": (_cnn, [(8, 8, 2)], "sparse_categorical_crossentropy"),
    "two": (_two, [(5,), (3,)], "mse"),
}


def _data(rng, shapes, loss, n):
    xs = [rng.normal(size=(n, *s)).astype("float32") for s in shapes]
    y = rng.integers(0, 3, size=(n,)).astype("int32") if loss.startswith("sparse") else rng.normal(size=(n, 2)).astype("float32")
    return (xs if len(xs) > 1 else xs[0]), y


def _train(model, batches):
    for x, y in batches:
        model.train_on_batch(x, y)


@contextlib.contextmanager
def _numpy_initializers(seed):
    """Keras' random initializers drawing from a seeded numpy generator. On JAX each
    initializer otherwise compiles one XLA function per weight shape, which makes
    building ResNet50 take 40 s instead of 3 s; the weights are as random, and seeded."""
    rng = np.random.default_rng(seed)

    def dtype_of(dtype):
        return np.dtype(backend.standardize_dtype(dtype or "float32"))

    def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
        return backend.convert_to_tensor(rng.uniform(minval, maxval, size=shape).astype(dtype_of(dtype)))

    def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
        return backend.convert_to_tensor((rng.normal(size=shape) * stddev + mean).astype(dtype_of(dtype)))

    def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
        x = rng.normal(size=shape)
        outside = np.abs(x) > 2
        while outside.any():
            x[outside] = rng.normal(size=int(outside.sum()))
            outside = np.abs(x) > 2
        return backend.convert_to_tensor((x * stddev + mean).astype(dtype_of(dtype)))

    saved = (backend.random.uniform, backend.random.normal, backend.random.truncated_normal)
    backend.random.uniform, backend.random.normal, backend.random.truncated_normal = uniform, normal, truncated_normal
    try:
        yield
    finally:
        backend.random.uniform, backend.random.normal, backend.random.truncated_normal = saved


def _make(folder, seed, k, m, batch):
    report = {}
    timings = {}
    start = time.time()
    for name, (build, shapes, loss) in MODELS.items():
        rng = np.random.default_rng(seed)
        batches = [_data(rng, shapes, loss, batch) for _ in range(k + 2 * m)]
        x, _ = _data(rng, shapes, loss, batch)
        out = {"batches": [{"x": bx, "y": by} for bx, by in batches], "x": x, "loss": loss}
        keras.utils.set_random_seed(seed)
        model = build(0.0)
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=loss)
        _train(model, batches[:k])
        for ext in ("keras", "h5"):
            model.save(os.path.join(folder, f"{name}.{ext}"))
        out["predictions"] = model.predict(x, verbose=0)
        _train(model, batches[k : k + m])
        out["weightsAfter"] = model.get_weights()
        report[name] = out
        timings[name] = time.time() - start
        start = time.time()
    images = np.random.default_rng(seed + 1).uniform(0, 1, size=(4, 32, 32, 3)).astype("float32")
    for name, build in (("mobilenetv2", keras.applications.MobileNetV2), ("resnet50", keras.applications.ResNet50)):
        with _numpy_initializers(seed):
            model = build(input_shape=(32, 32, 3), include_top=False, pooling="avg", weights=None)
        for ext in ("keras", "h5"):
            model.save(os.path.join(folder, f"{name}.{ext}"))
        report[name] = {"x": images, "predictions": model.predict(images, verbose=0), "layers": len(model.layers)}
        timings[name] = time.time() - start
        start = time.time()
    report["timings"] = timings
    report["folder"] = folder
    return report


def _load(folder, files):
    report = {}
    for file, spec in files.items():
        model, load_warnings = load_model_with_warnings(os.path.join(folder, file))
        out = {
            # Eagerly: a predict function would be compiled for every loaded model.
            "predictions": np.asarray(model(spec["x"], training=False)),
            "warnings": load_warnings,
            "iterations": int(model.optimizer.iterations) if model.optimizer is not None else -1,
        }
        if "batches" in spec:
            _train(model, [(b["x"], b["y"]) for b in spec["batches"]])
            out["weightsAfter"] = model.get_weights()
        report[file] = out
    return report


def check(folder):
    artifact = load_tree(folder, read_json(os.path.join(folder, "artifact.json")))
    if artifact["step"] == "make":
        return _make(folder, int(artifact["seed"]), int(artifact["k"]), int(artifact["m"]), int(artifact["batch"]))
    if artifact["step"] == "load":
        return _load(folder, artifact["files"])
    raise ValueError(f"unknown step {artifact['step']!r}")
