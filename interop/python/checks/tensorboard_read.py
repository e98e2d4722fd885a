"""Reads the TensorBoard event files under ``<folder>/logs`` with the real
TensorBoard (no TensorFlow: its ``tensorflow_stub``) and reports every run,
tag and value it saw, as the dashboards would get them.

Two readers, both keeping everything (size guidance 0):

* ``event_accumulator.EventAccumulator``, the classic reader: ``simple_value``
  scalars under ``Scalars``, TF2 summary tensors under ``Tensors``;
* ``plugin_event_accumulator.EventAccumulator``, the reader behind the
  dashboards with ``--load_fast=false``: every value migrated to a tensor with
  its plugin metadata (``data_compat``, ``dataclass_compat``).

Both report the run graph (``graph_def`` events) as its nodes' names, ops and
inputs (``graph``, None without one).

Images are decoded with Pillow; hparams plugin data is parsed with the
hparams plugin's own ``metadata`` module.

``python -m checks.tensorboard_read <folder>`` writes ``report.json`` next to
``logs``; ``check(folder)`` returns the same report (for ``python -m checks``).
Non-finite floats are reported as the strings ``"nan"``, ``"inf"``, ``"-inf"``.
"""
import io
import json
import math
import os
import sys
import traceback

import numpy as np
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.backend.event_processing import io_wrapper
from tensorboard.backend.event_processing import plugin_event_accumulator as pea
from tensorboard.plugins.hparams import metadata as hp_metadata
from tensorboard.util import tensor_util
from google.protobuf import json_format


def num(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def runs_of(logdir):
    """Run name (relative path, '.' for the root) -> directory, as TensorBoard finds runs."""
    out = {}
    for subdir in io_wrapper.GetLogdirSubdirectories(logdir):
        rel = os.path.relpath(subdir, logdir)
        out[rel.replace(os.sep, "/")] = subdir
    return out


def graph_nodes(acc):
    """The run graph's nodes (name, op, inputs) as the Graphs dashboard gets them, or None."""
    if not acc.Tags().get("graph"):
        return None
    return [{"name": n.name, "op": n.op, "input": list(n.input)} for n in acc.Graph().node]


def classic(path):
    acc = ea.EventAccumulator(path, size_guidance={k: 0 for k in ea.DEFAULT_SIZE_GUIDANCE})
    acc.Reload()
    tags = acc.Tags()
    report = {"scalars": {}, "tensors": {}, "graph": graph_nodes(acc)}
    for tag in tags["scalars"]:
        report["scalars"][tag] = [[e.step, num(e.value)] for e in acc.Scalars(tag)]
    for tag in tags["tensors"]:
        plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
        points = []
        for e in acc.Tensors(tag):
            arr = tensor_util.make_ndarray(e.tensor_proto)
            points.append({"step": e.step, "dtype": str(arr.dtype), "shape": list(arr.shape)})
        report["tensors"][tag] = {"plugin": plugin, "points": points}
    return report


def decode_png(blob):
    image = Image.open(io.BytesIO(blob))
    image.load()
    return {"format": image.format, "width": image.width, "height": image.height, "mode": image.mode,
            "pixels": np.asarray(image).reshape(-1).astype(int).tolist()}


def dashboards(path):
    acc = pea.EventAccumulator(path, size_guidance={k: 0 for k in ea.DEFAULT_SIZE_GUIDANCE},
                               tensor_size_guidance={})
    acc.Reload()
    report = {"scalars": {}, "histograms": {}, "images": {}, "text": {}, "hparams": {}, "plugins": {},
              "graph": graph_nodes(acc)}
    for tag in acc.Tags()["tensors"]:
        md = acc.SummaryMetadata(tag)
        plugin = md.plugin_data.plugin_name
        report["plugins"][tag] = plugin
        events = acc.Tensors(tag)
        if plugin == "scalars":
            report["scalars"][tag] = [[e.step, num(tensor_util.make_ndarray(e.tensor_proto).item())] for e in events]
        elif plugin == "histograms":
            report["histograms"][tag] = [
                {"step": e.step, "buckets": [[num(v) for v in row] for row in tensor_util.make_ndarray(e.tensor_proto).tolist()]}
                for e in events
            ]
        elif plugin == "images":
            points = []
            for e in events:
                blobs = list(e.tensor_proto.string_val)
                points.append({"step": e.step, "width": int(blobs[0]), "height": int(blobs[1]),
                               "images": [decode_png(b) for b in blobs[2:]]})
            report["images"][tag] = points
        elif plugin == "text":
            report["text"][tag] = [
                [e.step, tensor_util.make_ndarray(e.tensor_proto).item().decode("utf-8")] for e in events
            ]
        elif plugin == hp_metadata.PLUGIN_NAME:
            content = md.plugin_data.content
            if tag == hp_metadata.SESSION_START_INFO_TAG:
                info = hp_metadata.parse_session_start_info_plugin_data(content)
            elif tag == hp_metadata.SESSION_END_INFO_TAG:
                info = hp_metadata.parse_session_end_info_plugin_data(content)
            elif tag == hp_metadata.EXPERIMENT_TAG:
                info = hp_metadata.parse_experiment_plugin_data(content)
            else:
                raise ValueError(f"unexpected hparams tag {tag}")
            report["hparams"][tag] = json_format.MessageToDict(info, preserving_proto_field_name=True)
    return report


def check(folder):
    logdir = os.path.join(folder, "logs")
    runs = runs_of(logdir)
    return {run: {"classic": classic(path), "dashboards": dashboards(path),
                  "files": sorted(f for f in os.listdir(path) if io_wrapper.IsTensorFlowEventsFile(f))}
            for run, path in sorted(runs.items())}


if __name__ == "__main__":
    folder = sys.argv[1]
    try:
        report = {"ok": True, "values": check(folder)}
    except Exception:  # reported to the TypeScript side, which fails the test
        report = {"ok": False, "error": traceback.format_exc()}
    with open(os.path.join(folder, "report.json"), "w") as f:
        json.dump(report, f, allow_nan=False)
