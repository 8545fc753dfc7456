"""Inner Mongolia cross-provincial cooperation map: plan text to geocoded layers, status store, map.

Stages, one module each (read the file names in order):
``text`` (decode and repair) → ``plan`` (clauses, agencies, partners) → ``corridors`` / ``projects``
(named items, status) → ``gazetteer`` / ``hints`` / ``routes`` / ``geocode`` (places, geometry) →
``names`` (English names, ids) → ``layers`` (GeoJSON on disk), checked by ``fidelity``, read by ``review``.
"""

__version__ = "0.1.0"
