"""Inner Mongolia cross-provincial cooperation map: plan text to geocoded layers, status store, map.

Stages, one module each (read the file names in order):
``text`` (decode and repair) → ``plan`` (clauses, agencies, partners) → ``projects`` (named items,
status) → ``gazetteer`` / ``geocode`` (places, geometry) → ``layers`` (GeoJSON on disk).
"""

__version__ = "0.1.0"
