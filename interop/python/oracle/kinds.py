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


def _floats(spec):
    """JSON has one number type; Keras optimizers insist on floats (``momentum=0``
    is refused), so integral numbers in an optimizer's config become floats."""
    config = {
        key: float(value) if isinstance(value, int) and not isinstance(value, bool) else value
        for key, value in spec.get("config", {}).items()
    }
    return {**spec, "config": config}


def activation(case):
    """``{name, config?, x, dy}`` -> ``{y, dx}``; ``config`` holds keyword
    arguments of the activation (``{"negative_slope": 0.1}``)."""
    get = keras.activations.get(case["name"])
    config = case.get("config") or {}
    fn = (lambda x: get(x, **config)) if config else get
    y, vjp = jax.vjp(fn, jnp.asarray(case["x"]))
    (dx,) = vjp(jnp.asarray(case["dy"]))
    return {"y": y, "dx": dx}


def loss(case):
    """``{loss: {class_name, config}, yTrue, yPred, sampleWeight?, reduction?}``
    -> ``{value, perSample, dyPred}``.

    ``value`` is ``loss(y_true, y_pred, sample_weight=sampleWeight)`` under
    ``reduction`` (default Keras' ``"sum_over_batch_size"``, i.e. the mean of
    the per-sample losses); ``dyPred`` is the gradient of ``sum(value)`` with
    respect to yPred. ``perSample`` is unweighted and unreduced.
    """
    reduced = _instance(keras.losses, case["loss"], reduction=case.get("reduction", "sum_over_batch_size"))
    per_sample = _instance(keras.losses, case["loss"], reduction=None)
    y_true = jnp.asarray(case["yTrue"])
    y_pred = jnp.asarray(case["yPred"])
    sample_weight = case.get("sampleWeight")
    sample_weight = None if sample_weight is None else jnp.asarray(sample_weight)
    value, vjp = jax.vjp(lambda p: reduced(y_true, p, sample_weight=sample_weight), y_pred)
    (grad,) = vjp(jnp.ones_like(value))
    return {"value": value, "perSample": per_sample(y_true, y_pred), "dyPred": grad}


def layer(case):
    """``{layer: {class_name, config}, inputShape, weights, x, dy, training}``
    -> ``{y, dx, dweights}`` (gradients of the trainable weights by short name;
    no ``dx`` for integer ``x``). A case with ``inputs`` and ``inputShapes``
    lists in place of ``x`` and ``inputShape`` goes to ``_multi_input_layer``."""
    if "inputs" in case:
        return _multi_input_layer(case)
    built = _instance(keras.layers, case["layer"])
    built.build((None, *case["inputShape"]))
    _assign(built, case["weights"])
    trainable = [variable.value for variable in built.trainable_variables]
    non_trainable = [variable.value for variable in built.non_trainable_variables]
    training = bool(case.get("training", False))

    # Only layers whose call() takes `training` may be given it (Conv2D's does not).
    kwargs = {"training": training} if built._call_has_training_arg else {}

    def forward(weights, x):
        y, _ = built.stateless_call(weights, non_trainable, x, **kwargs)
        return y

    names = [variable.name for variable in built.trainable_variables]
    x = jnp.asarray(case["x"])
    if jnp.issubdtype(x.dtype, jnp.integer):
        # Integer inputs (embedding ids) have no gradient: only the weights'.
        y, vjp = jax.vjp(lambda weights: forward(weights, x), trainable)
        (dweights,) = vjp(jnp.asarray(case["dy"]))
        return {"y": y, "dweights": dict(zip(names, dweights))}
    y, vjp = jax.vjp(forward, trainable, x)
    dweights, dx = vjp(jnp.asarray(case["dy"]))
    return {"y": y, "dx": dx, "dweights": dict(zip(names, dweights))}


def _multi_input_layer(case):
    """``{layer, inputShapes, inputs, dy, weights?}`` -> ``{y, dxs, dweights}``
    for a layer called on a list of inputs (the merge layers): ``dxs`` holds
    the gradient of each input, in order."""
    built = _instance(keras.layers, case["layer"])
    built.build([(None, *shape) for shape in case["inputShapes"]])
    _assign(built, case.get("weights") or {})
    trainable = [variable.value for variable in built.trainable_variables]
    non_trainable = [variable.value for variable in built.non_trainable_variables]

    def forward(weights, xs):
        y, _ = built.stateless_call(weights, non_trainable, list(xs))
        return y

    names = [variable.name for variable in built.trainable_variables]
    y, vjp = jax.vjp(forward, trainable, [jnp.asarray(x) for x in case["inputs"]])
    dweights, dxs = vjp(jnp.asarray(case["dy"]))
    return {"y": y, "dxs": list(dxs), "dweights": dict(zip(names, dweights))}


def output_shape(case):
    """``{layer, inputShape}`` (or ``{layer, inputShapes}`` for a layer on several
    inputs) -> ``{outputShape}``: ``layer.compute_output_shape`` for a batch of
    ``None``, without the batch dimension. The layer is not built."""
    created = _instance(keras.layers, case["layer"])
    if "inputShapes" in case:
        shape = created.compute_output_shape([(None, *s) for s in case["inputShapes"]])
    else:
        shape = created.compute_output_shape((None, *case["inputShape"]))
    if shape[0] is not None:
        raise ValueError(f"{created.name}: output shape {shape} does not keep the batch dimension first")
    return {"outputShape": [None if d is None else int(d) for d in shape[1:]]}


def fans(case):
    """``{shape}`` -> ``{fanIn, fanOut}``: Keras' ``compute_fans`` of a weight shape."""
    from keras.src.initializers.random_initializers import compute_fans

    fan_in, fan_out = compute_fans(tuple(case["shape"]))
    return {"fanIn": int(fan_in), "fanOut": int(fan_out)}


class _RunningLoss(keras.callbacks.Callback):
    """Keras' ``logs["loss"]`` after every batch: the running mean of the epoch."""

    def __init__(self):
        super().__init__()
        self.values = []

    def on_train_batch_end(self, batch, logs=None):
        self.values.append(float(logs["loss"]))


def sequential(case):
    """A ``keras.Sequential`` from ``{inputShape, layers}`` with ``weights``
    (a list with one ``{short name: array}`` per layer) assigned when given."""
    model = keras.Sequential(
        [keras.Input(shape=tuple(case["inputShape"]))] + [_instance(keras.layers, spec) for spec in case["layers"]]
    )
    if "weights" not in case:
        return model
    if len(case["weights"]) != len(model.layers):
        raise ValueError(f"{len(model.layers)} layers, but weights for {len(case['weights'])}")
    for built, values in zip(model.layers, case["weights"]):
        _assign(built, values)
    return model


def fit(case):
    """``{inputShape, layers, weights, x, y, loss, optimizer, epochs, batchSize, evaluate?,
    sampleWeight?, classWeight?}`` -> ``{epochLosses, runningLosses, weights, evaluateLoss?}``:
    ``model.fit`` without shuffling (``sample_weight``, ``class_weight`` with integer keys, when given).
    ``runningLosses`` holds ``logs["loss"]`` after each batch; with ``evaluate``,
    ``evaluateLoss`` is ``model.evaluate(x, y)`` after training (same batch size)."""
    model = sequential(case)
    model.compile(
        optimizer=_instance(keras.optimizers, _floats(case["optimizer"])),
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
        sample_weight=case.get("sampleWeight"),
        class_weight={int(k): float(v) for k, v in case["classWeight"].items()} if "classWeight" in case else None,
    )
    result = {
        "epochLosses": history.history["loss"],
        "runningLosses": running.values,
        "weights": [{v.name: np.asarray(v.value) for v in built.weights} for built in model.layers],
    }
    if case.get("evaluate"):
        # Keras 3.15 on JAX: model.evaluate right after fit on the first model of a
        # process sometimes returns a different loss (0.26095 instead of 0.26286 for
        # the conv2d + activity L1 case, in about a third of the runs), while a fresh
        # model holding the same trained weights always gives the same value. So the
        # trained weights are evaluated in a fresh copy of the model.
        trained = dict(case, weights=result["weights"])
        fresh = sequential(trained)
        fresh.compile(loss=_instance(keras.losses, case["loss"]))
        result["evaluateLoss"] = float(fresh.evaluate(case["x"], case["y"], batch_size=int(case["batchSize"]), verbose=0))
    return result


HANDLERS = {"activation": activation, "loss": loss, "layer": layer, "fit": fit, "outputShape": output_shape, "fans": fans}
