"""Feature ids renamed between builds: ``data/id_aliases.csv`` (old id → new id).

Part of the layer contract: the pipeline writes features under their new ids and the store moves
a renamed project's status history to its new id.
"""

from __future__ import annotations

import csv
from pathlib import Path

from geo import settings


def read_id_aliases(data_dir: Path | None = None) -> dict[str, str]:
    """``data/id_aliases.csv``: old feature id → new id, for ids renamed between builds."""
    path = (data_dir or settings.DATA_DIR) / "id_aliases.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["old_id"].strip(): row["new_id"].strip() for row in csv.DictReader(fh)}
