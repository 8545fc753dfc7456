"""The pipeline: a plan's file → clean text → clauses → named items → geocoded features → layers.

Read the stages in order: ``text`` (decode and repair) → ``plan`` (clauses, agencies) →
``partners`` / ``corridors`` / ``projects`` (named items, status, partners) → ``gazetteer`` /
``boundaries`` / ``hints`` / ``routes`` / ``geocode`` (places and geometry) → ``names`` (English
names, ids) → ``plans`` (one id per project across plans) → ``build`` (the stages and the report).
"""

from geo.pipeline.build import BuildReport, build_features, build_layers
from geo.pipeline.gazetteer import Gazetteer, Place, load_gazetteer
from geo.pipeline.plan import Plan, plan_from_text, read_agencies
from geo.pipeline.text import CleanText, clean_bytes, read_plan

__all__ = ["BuildReport", "CleanText", "Gazetteer", "Place", "Plan", "build_features", "build_layers",
           "clean_bytes", "load_gazetteer", "plan_from_text", "read_agencies", "read_plan"]
