"""The ids renamed by this round's layers: a store kept from before finds every project's history
under its new id, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from geo import settings
from geo.layers import load_layers, read_id_aliases
from geo.store import Baseline, StatusChange, User, open_store


def test_seeding_the_rebuilt_layers_carries_old_ids_history_over(store_url: str) -> None:
    aliases = read_id_aliases()
    layers = load_layers(settings.DEFAULT_LAYERS)
    by_id = {row["id"]: row for row in layers.drop(columns="geometry").to_dict("records")}
    old_alliance = "logistics-huanbo-haishuai-guayun-shulian-meng"
    new_alliance = aliases[old_alliance]
    with open_store(store_url) as store:
        # The store as the previous layers left it: projects under their old ids, one edited.
        store.seed([Baseline.from_mapping({**by_id[new], "id": old}) for old, new in aliases.items()], aliases={})
        store.insert_user("admin", "hash", agency=None)
        store.change_status(StatusChange(old_alliance, "ongoing", date(2014, 6, 1), "three members joined",
                                         "交通运输厅 2014-06"), editor=User("admin"), expected_version=1)
        # The app seeds the rebuilt layers with the layers' renamed ids (ui.site passes them).
        store.seed(layers.drop(columns="geometry").to_dict("records"), aliases=aliases)
        current = store.current(new_alliance)
        assert current is not None and (current.status, current.note, current.version) == ("ongoing", "three members joined", 2)
        assert [h.new_status for h in store.history(new_alliance)] == [by_id[new_alliance]["status"], "ongoing"]
        assert set(store.current_all()) == set(layers["id"]), "no project left behind under an old id"
        merged = "science-partnership-beijing"  # the same item as the framework agreement: its rows join it
        assert store.current(merged) == store.current(aliases[merged])
