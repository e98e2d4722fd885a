"""``python -m oracle <batch-folder>``: runs every case folder in the batch."""
import os
import sys
import traceback

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

from . import callback_kinds, kinds, metric_kinds  # noqa: E402  (the backend must be chosen first)
from .tensors import load_tree, read_json, save_tree, write_json_atomic  # noqa: E402


HANDLERS = {**kinds.HANDLERS, **metric_kinds.HANDLERS, **callback_kinds.HANDLERS}


def run_case(folder):
    case = load_tree(folder, read_json(os.path.join(folder, "case.json")))
    handler = HANDLERS.get(case["kind"])
    if handler is None:
        raise ValueError(f"unknown case kind {case['kind']!r}; known: {sorted(HANDLERS)}")
    return handler(case)


def main(batch):
    folders = sorted(
        os.path.join(batch, name) for name in os.listdir(batch) if os.path.isfile(os.path.join(batch, name, "case.json"))
    )
    if not folders:
        print(f"no case folders (with case.json) in {batch}", file=sys.stderr)
        return 2
    for folder in folders:
        try:
            result = {"ok": True, "values": run_case(folder)}
        except Exception:  # reported to the TypeScript side, which fails the test
            result = {"ok": False, "error": traceback.format_exc()}
        write_json_atomic(os.path.join(folder, "result.json"), save_tree(folder, result))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python -m oracle <batch-folder>", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
