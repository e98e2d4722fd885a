"""Times Keras 3 ``fit`` (JAX backend, CPU) on one of the benchmark models.

``python keras_bench.py --model mlp --images x.npy --labels y.npy [options]``

Run by ``benchmarks/src/keras.ts`` with the interop virtualenv's Python; the
images and labels are the ones the JavaScript contenders train on (uint8
``[N, 28, 28, 1]`` and ``[N]``, written by the runner as ``.npy``).

Methodology, as the JavaScript workers measure ``fit``:

- warm-up: a 2-epoch ``fit`` on ``--warmup-steps`` batches (the first epoch
  traces and compiles the jitted train step with XLA); its second epoch
  estimates the step time;
- then one ``fit`` over enough images that an epoch lasts about a window (at
  most all of them, then several epochs a window). Its first epoch is not
  timed (a new data size: the short last batch, if any, is traced then).
  Windows of at least ``--window-seconds`` are cut at epoch ends; the result is
  the median over ``--windows`` windows of the window time divided by its steps.

Prints one line, ``@@trellis-bench-result {json}``, and exits 0; any error
exits 1 with the traceback on stderr.
"""

import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import jax  # noqa: E402  (the backend must be chosen first)
import keras  # noqa: E402
import numpy as np  # noqa: E402

RESULT_PREFIX = "@@trellis-bench-result "
MAX_EPOCHS = 10_000


def build(name):
    """The benchmark model ``name`` (see benchmarks/src/bench-models.ts for the same in Trellis)."""
    layers = keras.layers
    if name == "mlp":
        stack = [keras.Input((784,)), layers.Dense(512, "relu"), layers.Dense(128, "relu"), layers.Dense(10, "softmax")]
    elif name == "tiny":
        stack = [keras.Input((784,)), layers.Dense(32, "relu"), layers.Dense(10, "softmax")]
    elif name == "cnn":
        stack = [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(128, "relu"),
            layers.Dense(10, "softmax"),
        ]
    elif name == "fashion-cnn":
        stack = [
            keras.Input((28, 28, 1)),
            layers.RandomFlip("horizontal"),
            layers.RandomTranslation(0.08, 0.08, fill_mode="constant"),
            layers.Conv2D(32, 3, padding="same", use_bias=False),
            layers.BatchNormalization(momentum=0.9),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, padding="same", use_bias=False),
            layers.BatchNormalization(momentum=0.9),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(128, "relu"),
            layers.Dense(10, "softmax"),
        ]
    else:
        raise ValueError(f"unknown model {name!r}; known: mlp, tiny, cnn, fashion-cnn")
    return keras.Sequential(stack)


class Windows(keras.callbacks.Callback):
    """Cuts epoch ends into windows of at least ``seconds``; stops the fit after ``count`` of them.

    The first epoch of the fit is skipped (not timed).
    """

    def __init__(self, count, seconds, steps_per_epoch):
        super().__init__()
        self.count = count
        self.seconds = seconds
        self.steps_per_epoch = steps_per_epoch
        self.windows = []
        self.epoch_seconds = []
        self.last_loss = math.nan
        self._start = None
        self._steps = 0
        self._epoch_start = 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        now = time.perf_counter()
        self.epoch_seconds.append(now - self._epoch_start)
        self.last_loss = float((logs or {}).get("loss", math.nan))
        if epoch == 0:
            self._start = now
            return
        self._steps += self.steps_per_epoch
        elapsed = now - self._start
        if elapsed >= self.seconds:
            ms = elapsed * 1000
            self.windows.append({"ms": ms, "steps": self._steps, "msPerStep": ms / self._steps})
            self._start = now
            self._steps = 0
        if len(self.windows) >= self.count:
            self.model.stop_training = True


def check_loss(loss, when):
    """A fresh 10-class model starts near ln 10; outside (1e-4, 20) something does not train."""
    if not (1e-4 < loss < 20):
        raise RuntimeError(f"implausible loss {loss} {when}: Keras does not train correctly")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, choices=["mlp", "tiny", "cnn", "fashion-cnn"])
    parser.add_argument("--images", required=True, help="uint8 [N, 28, 28, 1] .npy")
    parser.add_argument("--labels", required=True, help="uint8 [N] .npy")
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--parameters", type=int, required=True, help="the model's expected weight count")
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--window-seconds", type=float, default=2.0)
    parser.add_argument("--warmup-steps", type=int, default=16)
    parser.add_argument("--id", default="", help="the configuration id to report")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    images = np.load(args.images)
    labels = np.load(args.labels).astype("int32")
    if images.dtype != np.uint8 or images.shape[1:] != (28, 28, 1) or labels.shape != images.shape[:1]:
        raise ValueError(f"expected uint8 images [N, 28, 28, 1] and labels [N]; got {images.dtype} {images.shape}, {labels.shape}")
    x_all = images.astype("float32") / 255.0
    if args.model in ("mlp", "tiny"):
        x_all = x_all.reshape(len(x_all), 784)

    keras.utils.set_random_seed(1)
    model = build(args.model)
    if model.count_params() != args.parameters:
        raise RuntimeError(f"Keras built {model.count_params()} parameters for {args.model}; the benchmark's model has {args.parameters}")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=args.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )

    batch = args.batch_size
    total = len(x_all)
    available = total // batch
    warm = min(args.warmup_steps, available)
    warmup = Windows(count=math.inf, seconds=math.inf, steps_per_epoch=warm)
    model.fit(x_all[: warm * batch], labels[: warm * batch], batch_size=batch, epochs=2, shuffle=True, verbose=0, callbacks=[warmup])
    check_loss(warmup.last_loss, "after the warm-up fit")
    warmup_ms = warmup.epoch_seconds[-1] * 1000 / warm

    steps = max(warm, min(available, math.ceil(args.window_seconds * 1000 * 1.1 / warmup_ms)))
    samples = total if steps == available else steps * batch
    steps = math.ceil(samples / batch)
    print(f"  warm-up {warmup_ms:.2f} ms/step → {samples} samples per epoch", file=sys.stderr, flush=True)
    clock = Windows(count=args.windows, seconds=args.window_seconds, steps_per_epoch=steps)
    # The windows stop the fit (model.stop_training); the epoch count is only a backstop.
    epochs = MAX_EPOCHS
    model.fit(x_all[:samples], labels[:samples], batch_size=batch, epochs=epochs, shuffle=True, verbose=0, callbacks=[clock])
    check_loss(clock.last_loss, "at the end")
    if len(clock.windows) < args.windows:
        raise RuntimeError(f"only {len(clock.windows)} of {args.windows} windows completed in {epochs} epochs")

    ms_per_step = statistics.median(w["msPerStep"] for w in clock.windows)
    cpu = jax.devices()[0]
    result = {
        "id": args.id,
        "msPerStep": ms_per_step,
        "samplesPerSecond": batch * 1000 / ms_per_step,
        "windows": clock.windows,
        "batchSize": batch,
        "samplesPerEpoch": samples,
        "chunkSteps": None,
        "warmupMsPerStep": warmup_ms,
        "finalLoss": clock.last_loss,
        # The process holds every image it was given (as uint8 and as float32), not just an epoch's worth.
        "images": total,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "seconds": time.perf_counter() - started,
        "device": f"Keras {keras.__version__}, JAX {jax.__version__} ({cpu.platform}, {os.cpu_count()} CPUs), Python {platform.python_version()}",
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
