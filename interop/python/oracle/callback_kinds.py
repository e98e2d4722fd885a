"""Case kinds for callbacks: Keras' callbacks driven with recorded logs.

``callbackReplay``: ``{callbacks: [{class_name, config}], logs: [{key: value}, ...],
learningRate, initialEpoch?, epochs?, metrics?}`` -> ``{epochs, stopped, rates, logs,
restoredEpoch, restores, warnings, state}``. The ``keras.callbacks`` classes
(``EarlyStopping``, ``ReduceLROnPlateau``) run on a stub model: a real
``keras.optimizers.SGD`` (its ``learning_rate`` a float32 variable), ``stop_training``,
and weights that are one number, the epoch at whose end they were taken, so a
restore says which epoch came back. ``metrics`` names Keras metric classes the stub
reports as compiled (``["Accuracy"]``), which ``mode="auto"`` looks up. The loop
calls the hooks as ``model.fit`` does: ``on_train_begin``, then per epoch
``on_epoch_begin`` and ``on_epoch_end`` with that epoch's logs (stopping after the
epoch when ``stop_training`` is set), then ``on_train_end``.
``rates`` is the learning rate in force during each epoch that ran, ``logs`` each
epoch's logs after the callbacks (``learning_rate`` added), ``warnings`` the
messages of the callbacks' warnings (a missing
monitored key), ``state`` each callback's counters at the end.
"""
import warnings

import keras
import numpy as np
from keras.src.trainers import compile_utils


class _StubModel:
    def __init__(self, learning_rate, metrics):
        self.optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
        self.stop_training = False
        self.weights_epoch = -1
        self.restored_epoch = None
        self.restores = 0
        if metrics:
            self.metrics = [compile_utils.MetricsList([getattr(keras.metrics, name)() for name in metrics])]

    def get_weights(self):
        return [np.array(self.weights_epoch, dtype="float32")]

    def set_weights(self, weights):
        self.weights_epoch = int(weights[0])
        self.restored_epoch = self.weights_epoch
        self.restores += 1


def _state(callback):
    names = ["wait", "best", "best_epoch", "stopped_epoch", "cooldown_counter"]
    state = {}
    for name in names:
        if hasattr(callback, name):
            value = getattr(callback, name)
            state[name] = None if value is None else float(value)
    return state


def callback_replay(case):
    model = _StubModel(float(case["learningRate"]), case.get("metrics"))
    callbacks = []
    for spec in case["callbacks"]:
        cls = getattr(keras.callbacks, spec["class_name"])
        callback = cls(**spec.get("config", {}))
        callback.set_model(model)
        callbacks.append(callback)
    logs_in = case["logs"]
    initial = int(case.get("initialEpoch", 0))
    epochs = int(case.get("epochs", len(logs_in)))
    ran, rates, logs_out = [], [], []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for callback in callbacks:
            callback.on_train_begin()
        for epoch in range(initial, epochs):
            for callback in callbacks:
                callback.on_epoch_begin(epoch)
            rates.append(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)))
            model.weights_epoch = epoch
            logs = {key: float(value) for key, value in logs_in[epoch].items()}
            for callback in callbacks:
                callback.on_epoch_end(epoch, logs)
            ran.append(epoch)
            logs_out.append(logs)
            if model.stop_training:
                break
        for callback in callbacks:
            callback.on_train_end()
    return {
        "epochs": ran,
        "stopped": bool(model.stop_training),
        "rates": rates,
        "logs": logs_out,
        "restoredEpoch": model.restored_epoch,
        "restores": model.restores,
        # Only the callbacks' own warnings (a missing monitored key), not numpy's or JAX's.
        "warnings": [str(w.message) for w in caught if "which is not available" in str(w.message)],
        "state": [_state(callback) for callback in callbacks],
    }


HANDLERS = {"callbackReplay": callback_replay}


def callback_fit(case):
    """``{inputShape, layers, weights, x, y, xVal, yVal, loss, optimizer, epochs, batchSize,
    callbacks: [{class_name, config}]}`` -> ``{epochs, history, weights, state}``: ``model.fit``
    from the given weights without shuffling, with ``validation_data=(xVal, yVal)`` and the
    ``keras.callbacks`` given; ``history`` is ``History.history`` (``learning_rate`` included
    when a callback adds it), ``weights`` the weights after the fit (restored ones included),
    ``state`` each callback's counters."""
    from .kinds import compiled_sequential, fit_unshuffled, weights_per_layer

    model = compiled_sequential(case)
    callbacks = [getattr(keras.callbacks, spec["class_name"])(**spec.get("config", {})) for spec in case["callbacks"]]
    history = fit_unshuffled(model, case, validation_data=(case["xVal"], case["yVal"]), callbacks=callbacks)
    return {
        "epochs": [int(e) for e in history.epoch],
        "history": {key: [float(v) for v in values] for key, values in history.history.items()},
        "weights": weights_per_layer(model),
        "state": [_state(callback) for callback in callbacks],
    }


HANDLERS["callbackFit"] = callback_fit
