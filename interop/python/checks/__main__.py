"""``python -m checks <name> <artifact-folder>``."""
import importlib
import os
import sys
import traceback

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

from oracle.tensors import save_tree, write_json_atomic  # noqa: E402

CHECKS = {"keras_predict", "keras_summary", "keras_files", "keras_model_files", "keras_tuner_hyperband"}


def main(name, folder):
    if name not in CHECKS:
        print(f"unknown check {name!r}; known: {sorted(CHECKS)}", file=sys.stderr)
        return 2
    try:
        report = {"ok": True, "values": importlib.import_module(f"checks.{name}").check(folder)}
    except Exception:  # reported to the TypeScript side, which fails the test
        report = {"ok": False, "error": traceback.format_exc()}
    write_json_atomic(os.path.join(folder, "report.json"), save_tree(folder, report, prefix="report"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: python -m checks <name> <artifact-folder>", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
