"""Python as consumer: each check loads an artifact written by Trellis with the
real Python library and reports what it saw as ``report.json`` in the
artifact's folder. ``python -m checks <name> <artifact-folder>``."""
