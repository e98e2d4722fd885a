"""Runs Keras Tuner's ``HyperbandOracle`` sequentially for each case of
``artifact.json`` (``{cases: [{maxEpochs, factor, hyperbandIterations}]}``):
one float hyperparameter ``x`` in [0, 1], each trial scored ``|x - 0.3|``
(minimized) and ended as completed before the next is created. Reports, per
case, every trial's ``[bracket, round, initial_epoch, epochs, continues]``
in creation order, ``continues`` being 1 for a trial that carries
``tuner/trial_id`` (it continues an earlier trial's weights)."""
import os
import tempfile

import keras_tuner as kt

from oracle.tensors import read_json


def schedule(max_epochs, factor, iterations):
    hps = kt.HyperParameters()
    hps.Float("x", 0.0, 1.0)
    oracle = kt.oracles.HyperbandOracle(
        objective=kt.Objective("score", "min"),
        max_epochs=max_epochs,
        factor=factor,
        hyperband_iterations=iterations,
        seed=1,
        hyperparameters=hps,
    )
    with tempfile.TemporaryDirectory() as folder:
        oracle._set_project_dir(folder, "hyperband")
        rows = []
        while True:
            trial = oracle.create_trial("tuner0")
            if trial.status == "STOPPED":
                break
            if trial.status != "RUNNING":
                raise RuntimeError(f"unexpected trial status {trial.status}")
            values = trial.hyperparameters.values
            rows.append(
                [
                    values["tuner/bracket"],
                    values["tuner/round"],
                    values["tuner/initial_epoch"],
                    values["tuner/epochs"],
                    1 if "tuner/trial_id" in values else 0,
                ]
            )
            oracle.update_trial(trial.trial_id, {"score": abs(values["x"] - 0.3)})
            trial.status = "COMPLETED"
            oracle.end_trial(trial)
        return rows


def check(folder):
    artifact = read_json(os.path.join(folder, "artifact.json"))
    return {
        "schedules": [
            schedule(case["maxEpochs"], case["factor"], case["hyperbandIterations"]) for case in artifact["cases"]
        ]
    }
