"""Cross-provincial cooperation map: plan documents to geocoded layers, a status store, a web map.

Read the package bottom-up; each layer imports only those above it in this list:

1. ``settings``, ``errors``, ``taxonomy``: the shared vocabulary; ``csvtext``: the one CSV writer;
   ``outfile``: files written whole or not at all.
2. ``i18n``: every word a user reads, in Chinese and English; ``filters``: a selection of projects.
3. ``layers``: the layer contract (schema, save/load, check, fidelity, review, plan years).
4. ``pipeline``: a plan's file → clean text → clauses → items → features → layers.
5. ``store``: statuses and their history, accounts, sign-in (SQLite or PostgreSQL).
6. ``webmap``: layers → the data and the Leaflet frame the page draws.
7. ``reports``: exports, overview, the progress report and the printed briefing.
8. ``cli``: ``python -m geo``. Above all of these, ``ui/`` is the Streamlit page and its routes.
"""

__version__ = "0.1.0"
