"""Case kinds for metrics: Keras' streaming metrics, fed batch by batch.

``metric``: ``{metric: {class_name, config}, batches: [{yTrue, yPred, sampleWeight?}]}``
-> ``{result, results}``: ``result`` is the metric's value after every batch
(Keras' ``update_state`` per batch, then ``result()``), ``results`` the value
after each batch in turn (streaming, not per batch).
"""
import keras
import numpy as np

from .kinds import _instance


def metric(case):
    instance = _instance(keras.metrics, case["metric"])
    results = []
    for batch in case["batches"]:
        weight = batch.get("sampleWeight")
        instance.update_state(batch["yTrue"], batch["yPred"], sample_weight=weight)
        results.append(np.asarray(instance.result(), dtype="float32"))
    return {"result": results[-1], "results": results}


HANDLERS = {"metric": metric}


def confusion_matrix(case):
    """``{yTrue, yPred, sampleWeight?, numClasses}`` (class ids) -> ``{matrix}``:
    ``sklearn.metrics.confusion_matrix`` with rows the true and columns the
    predicted classes ``0 .. numClasses - 1``, weighted by ``sampleWeight``.
    """
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    weight = case.get("sampleWeight")
    matrix = sk_confusion_matrix(
        np.asarray(case["yTrue"]).reshape(-1),
        np.asarray(case["yPred"]).reshape(-1),
        labels=list(range(int(case["numClasses"]))),
        sample_weight=None if weight is None else np.asarray(weight).reshape(-1),
    )
    return {"matrix": np.asarray(matrix, dtype="float64")}


HANDLERS["confusionMatrix"] = confusion_matrix
