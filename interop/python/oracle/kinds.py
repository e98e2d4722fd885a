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


# Optimizer arguments Keras wants as ints (``ema_overwrite_frequency`` must be an ``int``).
_INT_ARGUMENTS = {"gradient_accumulation_steps", "ema_overwrite_frequency"}


def _floats(spec):
    """JSON has one number type; Keras optimizers insist on floats (``momentum=0``
    is refused), so integral numbers in an optimizer's config become floats
    (except the step counts in ``_INT_ARGUMENTS``)."""
    config = {
        key: float(value) if isinstance(value, int) and not isinstance(value, bool) and key not in _INT_ARGUMENTS else value
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


def compiled_sequential(case):
    """``sequential(case)`` compiled with the case's ``optimizer`` and ``loss`` (each
    ``{class_name, config}``) and, when the case has them, its ``metrics`` (a list of
    ``{class_name, config}`` of ``keras.metrics``)."""
    model = sequential(case)
    model.compile(
        optimizer=_instance(keras.optimizers, _floats(case["optimizer"])),
        loss=_instance(keras.losses, case["loss"]),
        metrics=[_instance(keras.metrics, spec) for spec in case.get("metrics", [])] or None,
    )
    return model


def fit_unshuffled(model, case, **options):
    """``model.fit`` on the case's ``x`` and ``y`` with its ``batchSize`` and ``epochs``,
    without shuffling or progress output; ``options`` are further ``model.fit`` arguments.
    Returns Keras' ``History``."""
    return model.fit(
        case["x"],
        case["y"],
        batch_size=int(case["batchSize"]),
        epochs=int(case["epochs"]),
        shuffle=False,
        verbose=0,
        **options,
    )


def weights_per_layer(model):
    """The weights of each of the model's layers: one ``{short name: array}`` per layer."""
    return [{v.name: np.asarray(v.value) for v in built.weights} for built in model.layers]


def fit(case):
    """``{inputShape, layers, weights, x, y, loss, optimizer, epochs, batchSize, evaluate?,
    sampleWeight?, classWeight?, metrics?}`` -> ``{epochLosses, runningLosses, weights, history,
    evaluateLoss?}``: ``model.fit`` without shuffling (``sample_weight``, ``class_weight`` with
    integer keys, when given). ``metrics`` is a list of ``{class_name, config}`` of
    ``keras.metrics``, compiled into the model; ``history`` is Keras' ``history.history``
    (``loss`` and each metric by epoch).
    ``runningLosses`` holds ``logs["loss"]`` after each batch; with ``evaluate``,
    ``evaluateLoss`` is ``model.evaluate(x, y)`` after training (same batch size)."""
    model = compiled_sequential(case)
    running = _RunningLoss()
    history = fit_unshuffled(
        model,
        case,
        callbacks=[running],
        sample_weight=case.get("sampleWeight"),
        class_weight={int(k): float(v) for k, v in case["classWeight"].items()} if "classWeight" in case else None,
    )
    result = {
        "epochLosses": history.history["loss"],
        "runningLosses": running.values,
        "weights": weights_per_layer(model),
        "history": dict(history.history),
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


def _optimizer(spec):
    """A Keras optimizer from ``{class_name, config}``; a ``learning_rate`` given as
    ``{class_name, config}`` becomes that ``keras.optimizers.schedules`` schedule."""
    spec = _floats(spec)
    config = dict(spec["config"])
    if isinstance(config.get("learning_rate"), dict):
        config["learning_rate"] = _schedule(config["learning_rate"])
    return _instance(keras.optimizers, {"class_name": spec["class_name"], "config": config})


def optimizer_steps(case):
    """``{optimizer, params: {name: array}, grads: [{name: array}, ...]}`` ->
    ``{steps: [{name: array}, ...], finalized?}``: the variables after each
    ``optimizer.apply_gradients`` with that step's gradients (all variables get a
    gradient every step). With ``use_ema``, ``finalized`` holds the variables after
    ``finalize_variable_values`` (what ``fit`` does at its end)."""
    optimizer = _optimizer(case["optimizer"])
    names = sorted(case["params"])
    variables = [keras.Variable(np.asarray(case["params"][n], dtype="float32"), name=n.replace("/", "_")) for n in names]
    optimizer.build(variables)
    steps = []
    for grads in case["grads"]:
        optimizer.apply_gradients([(jnp.asarray(grads[n]), v) for n, v in zip(names, variables)])
        steps.append({n: np.asarray(v.value) for n, v in zip(names, variables)})
    result = {"steps": steps}
    if optimizer.use_ema:
        optimizer.finalize_variable_values(variables)
        result["finalized"] = {n: np.asarray(v.value) for n, v in zip(names, variables)}
    return result


_SCHEDULE_FLOATS = ("initial_learning_rate", "decay_rate", "end_learning_rate", "power", "alpha", "warmup_target", "t_mul", "m_mul")


def _schedule(spec):
    """A ``keras.optimizers.schedules`` schedule from ``{class_name, config}``. Keras
    computes in the dtype of ``initial_learning_rate`` (of ``values[0]`` for
    PiecewiseConstantDecay), so JSON's integral rates (``0`` for a warmup from
    zero) become floats, as a Python user would write them."""
    config = dict(spec.get("config", {}))
    for key in _SCHEDULE_FLOATS:
        if isinstance(config.get(key), int) and not isinstance(config[key], bool):
            config[key] = float(config[key])
    if "values" in config:
        config["values"] = [float(v) for v in config["values"]]
    return _instance(keras.optimizers.schedules, {**spec, "config": config})


def schedule(case):
    """``{schedule: {class_name, config}, steps}`` -> ``{values}``: the schedule at
    steps 0, 1, ..., steps - 1, as the float32 Keras computes, one eager call per
    step. ``disable_jit`` makes ``ops.cond`` (CosineDecay's warmup,
    CosineDecayRestarts) run the chosen branch directly instead of compiling both
    on every call (0.2 s each); the values are the same. Not jitted or vectorized:
    XLA on CPU divides by multiplying with a rounded reciprocal there, so
    ``90 / 30`` comes out 3.0000002 and PolynomialDecay's ``ceil`` jumps a period early."""
    fn = _schedule(case["schedule"])
    with jax.disable_jit():
        values = [np.asarray(fn(step)) for step in range(int(case["steps"]))]
    return {"values": np.asarray(values, dtype="float32")}


def functional(case):
    """A functional ``keras.Model`` from ``{inputs: [{name, shape}], layers: [{name,
    layer: {class_name, config}, inputs: [names], output, multi?}], outputs: [names],
    name?}``: one entry per layer application, in order (a name seen again applies
    the same layer again). Returns the model and its layers by name."""
    tensors = {}
    inputs = []
    for spec in case["inputs"]:
        tensor = keras.Input(shape=tuple(spec["shape"]), name=spec["name"])
        tensors[spec["name"]] = tensor
        inputs.append(tensor)
    layers = {}
    for node in case["layers"]:
        if node["name"] not in layers:
            spec = node["layer"]
            layers[node["name"]] = _instance(keras.layers, {**spec, "config": {**spec.get("config", {}), "name": node["name"]}})
        args = [tensors[name] for name in node["inputs"]]
        tensors[node["output"]] = layers[node["name"]](args if len(args) > 1 or node.get("multi") else args[0])
    outputs = [tensors[name] for name in case["outputs"]]
    model = keras.Model(inputs=inputs, outputs=outputs if len(outputs) > 1 else outputs[0], name=case.get("name", "functional"))
    return model, layers


def functional_fit(case):
    """A functional ``keras.Model`` trained with ``fit``: ``{inputs: [{name, shape}],
    layers: [{name, layer: {class_name, config}, inputs: [names]}], outputs: [names],
    weights: {layer name: {short name: array}}, x: [arrays], y: [arrays], losses: [specs],
    lossWeights?, sampleWeight?: [arrays], classWeight?: {output index: {class: weight}},
    metrics?, weightedMetrics? (Keras' compile arguments, e.g. ``{"label": ["accuracy"]}``),
    optimizer, epochs, batchSize}`` -> ``{epochLosses, outputLosses, history, weights}``
    (``outputLosses``: Keras' per-output trackers, ``<output>_loss``, by epoch).

    Keras 3 refuses ``class_weight`` for several outputs and together with
    ``sample_weight``; tf.keras multiplied them. Class weights are therefore turned
    into per-sample weights by Keras' own ``class_weight_to_sample_weights`` and
    multiplied into that output's sample weights."""
    from keras.src.trainers.data_adapters import data_adapter_utils

    model, layers = functional(case)
    for name, values in case["weights"].items():
        _assign(layers[name], values)
    model.compile(
        optimizer=_instance(keras.optimizers, _floats(case["optimizer"])),
        loss=[_instance(keras.losses, spec) for spec in case["losses"]],
        loss_weights=case.get("lossWeights"),
        metrics=case.get("metrics"),
        weighted_metrics=case.get("weightedMetrics"),
    )
    sample_weight = [np.asarray(w, dtype="float32") for w in case["sampleWeight"]] if "sampleWeight" in case else None
    for index, table in (case.get("classWeight") or {}).items():
        i = int(index)
        from_classes = data_adapter_utils.class_weight_to_sample_weights(case["y"][i], {int(k): float(v) for k, v in table.items()})
        if sample_weight is None:
            sample_weight = [np.ones(len(case["y"][0]), dtype="float32") for _ in case["outputs"]]
        sample_weight[i] = sample_weight[i] * from_classes
    history = model.fit(
        list(case["x"]),
        list(case["y"]),
        sample_weight=sample_weight,
        batch_size=int(case["batchSize"]),
        epochs=int(case["epochs"]),
        shuffle=False,
        verbose=0,
    )
    return {
        "epochLosses": history.history["loss"],
        "outputLosses": {key: values for key, values in history.history.items() if key.endswith("_loss")},
        "history": dict(history.history),
        "weights": {name: {v.name: np.asarray(v.value) for v in layer.weights} for name, layer in layers.items()},
    }


HANDLERS = {"activation": activation, "loss": loss, "layer": layer, "fit": fit, "outputShape": output_shape, "fans": fans, "optimizerSteps": optimizer_steps, "schedule": schedule, "functionalFit": functional_fit}
