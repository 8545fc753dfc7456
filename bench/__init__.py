"""Benchmarks: the pipeline, the map against ``GeoDataFrame.explore()``, scale, the browser, the store.

``python -m bench [--quick] [--out PATH]`` measures everything in one run on this machine,
prints a markdown table and writes a list of ``{"name", "value", "unit", "min", "max", "runs"}``
to ``bench/results.json`` (or ``--out``). Each module is one group of figures; ``bench.measure``
holds the timing and summary helpers they share. Not part of the application: ``geo/`` never
imports it.
"""
