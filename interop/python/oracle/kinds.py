"""What Keras computes for each kind of case. Each handler takes the decoded
case (numpy arrays in place of tensor references) and returns a tree of
results; the runner writes it back as ``result.json``.

Gradients are vector-Jacobian products taken with JAX: for an output ``y`` and
a cotangent ``dy`` of the same shape, ``dx = d(sum(y * dy))/dx``.
"""
import jax
import jax.numpy as jnp
import keras
import numpy as np


def _instance(module, spec, **extra):
    """``{"class_name": "Dense", "config": {...}}`` -> ``keras.layers.Dense(**config)``."""
    cls = getattr(module, spec["class_name"], None)
    if cls is None:
        raise ValueError(f"keras has no {module.__name__}.{spec['class_name']}")
    return cls(**spec.get("config", {}), **extra)


def _assign(layer, values):
    """Assigns a layer's weights by their short names (``kernel``, ``bias``)."""
    names = [variable.name for variable in layer.weights]
    if sorted(names) != sorted(values):
        raise ValueError(f"layer {layer.name} has weights {names}; the case gives {sorted(values)}")
    for variable in layer.weights:
        if tuple(variable.shape) != values[variable.name].shape:
            raise ValueError(
                f"{layer.name}/{variable.name}: Keras shape {tuple(variable.shape)}, "
                f"case shape {values[variable.name].shape}"
            )
        variable.assign(values[variable.name])


def activation(case):
    """``{name, x, dy}`` -> ``{y, dx}``."""
    fn = keras.activations.get(case["name"])
    y, vjp = jax.vjp(fn, jnp.asarray(case["x"]))
    (dx,) = vjp(jnp.asarray(case["dy"]))
    return {"y": y, "dx": dx}


def loss(case):
    """``{loss: {class_name, config}, yTrue, yPred}`` -> ``{value, perSample, dyPred}``.

    ``value`` is Keras' default reduction (sum over batch size, i.e. the mean of
    the per-sample losses); ``dyPred`` is its gradient with respect to yPred.
    """
    reduced = _instance(keras.losses, case["loss"])
    per_sample = _instance(keras.losses, case["loss"], reduction=None)
    y_true = jnp.asarray(case["yTrue"])
    y_pred = jnp.asarray(case["yPred"])
    value, grad = jax.value_and_grad(lambda p: reduced(y_true, p))(y_pred)
    return {"value": value, "perSample": per_sample(y_true, y_pred), "dyPred": grad}


def layer(case):
    """``{layer: {class_name, config}, inputShape, weights, x, dy, training}``
    -> ``{y, dx, dweights}`` (gradients of the trainable weights by short name)."""
    built = _instance(keras.layers, case["layer"])
    built.build((None, *case["inputShape"]))
    _assign(built, case["weights"])
    trainable = [variable.value for variable in built.trainable_variables]
    non_trainable = [variable.value for variable in built.non_trainable_variables]
    training = bool(case.get("training", False))

    def forward(weights, x):
        y, _ = built.stateless_call(weights, non_trainable, x, training=training)
        return y

    y, vjp = jax.vjp(forward, trainable, jnp.asarray(case["x"]))
    dweights, dx = vjp(jnp.asarray(case["dy"]))
    names = [variable.name for variable in built.trainable_variables]
    return {"y": y, "dx": dx, "dweights": dict(zip(names, dweights))}


class _RunningLoss(keras.callbacks.Callback):
    """Keras' ``logs["loss"]`` after every batch: the running mean of the epoch."""

    def __init__(self):
        super().__init__()
        self.values = []

    def on_train_batch_end(self, batch, logs=None):
        self.values.append(float(logs["loss"]))


def sequential(case):
    """A ``keras.Sequential`` from ``{inputShape, layers}`` with ``weights``
    (a list with one ``{short name: array}`` per layer) assigned."""
    model = keras.Sequential(
        [keras.Input(shape=tuple(case["inputShape"]))] + [_instance(keras.layers, spec) for spec in case["layers"]]
    )
    if len(case["weights"]) != len(model.layers):
        raise ValueError(f"{len(model.layers)} layers, but weights for {len(case['weights'])}")
    for built, values in zip(model.layers, case["weights"]):
        _assign(built, values)
    return model


def fit(case):
    """``{inputShape, layers, weights, x, y, loss, optimizer, epochs, batchSize}``
    -> ``{epochLosses, runningLosses, weights}``: ``model.fit`` without shuffling.
    ``runningLosses`` holds ``logs["loss"]`` after each batch."""
    model = sequential(case)
    model.compile(
        optimizer=_instance(keras.optimizers, case["optimizer"]),
        loss=_instance(keras.losses, case["loss"]),
    )
    running = _RunningLoss()
    history = model.fit(
        case["x"],
        case["y"],
        batch_size=int(case["batchSize"]),
        epochs=int(case["epochs"]),
        shuffle=False,
        verbose=0,
        callbacks=[running],
    )
    return {
        "epochLosses": history.history["loss"],
        "runningLosses": running.values,
        "weights": [{v.name: np.asarray(v.value) for v in built.weights} for built in model.layers],
    }


HANDLERS = {"activation": activation, "loss": loss, "layer": layer, "fit": fit}
