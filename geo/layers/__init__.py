"""The layer contract: GeoJSON layer folders as the pipeline writes them and everything else reads them.

``schema`` (the properties, length and crossing rules) → ``io`` (save and load a folder, atomically)
→ ``check`` (every problem of a folder) and ``fidelity`` (geometry against the facts) → ``review``
(the table an outside reviewer checks) and ``years`` (one plan's view of a multi-plan set);
``ids`` reads the ids renamed between builds.
"""

from geo.layers.check import check_layers, load_checked_layers, validate_layers
from geo.layers.ids import read_id_aliases
from geo.layers.io import PROVINCES_FILE, check_out_dir, load_layers, load_provinces_layer, save_layers
from geo.layers.schema import LENGTH_TOLERANCE, SCHEMA, length_km, provinces_crossed
from geo.layers.years import latest_year, plan_changes, plan_statuses, plan_view

__all__ = ["LENGTH_TOLERANCE", "PROVINCES_FILE", "SCHEMA", "check_layers", "check_out_dir", "latest_year",
           "length_km", "load_checked_layers", "load_layers", "load_provinces_layer", "plan_changes", "plan_statuses", "plan_view",
           "provinces_crossed", "read_id_aliases", "save_layers", "validate_layers"]
