"""What leaves the map on paper or as files: from layers and statuses to documents.

``exports`` (the selection as GeoJSON, CSV, GeoPackage) and ``overview`` (counts and overdue
items) are light and load with the page; ``progress`` (the annual progress report: HTML, CSV,
XLSX) and ``briefing`` (a partner's printed PDF, with matplotlib) load when first asked for, so
they are imported by module and nothing is imported here.
"""

__all__ = ["briefing", "exports", "overview", "progress"]
