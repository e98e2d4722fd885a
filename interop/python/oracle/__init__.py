"""Keras 3 as the oracle of the interop suite.

A case is a folder holding ``case.json`` whose tensors live in ``.bin`` files
(see ``tensors.py``). ``python -m oracle <batch-folder>`` runs every case in
the folder and writes ``result.json`` (plus tensor files) next to each
``case.json``.
"""
