"""Spatial extent of a dataset as a bounding box, from the fields that carry one.

Datasets describe their extent as GeoJSON in ``spatial`` (ckanext-spatial's
convention) or in DCAT-AP ``spatial_coverage`` entries (``geom``/``bbox``).
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator, Optional

Box = tuple  # (minx, miny, maxx, maxy)

ENVELOPE_RE = re.compile(
    r"^\s*Intersects\s*\(\s*ENVELOPE\s*\(([^)]*)\)\s*\)\s*$", re.IGNORECASE)


def _coordinates(node: Any) -> Iterator[tuple]:
    if isinstance(node, (list, tuple)):
        if len(node) >= 2 and all(isinstance(c, (int, float)) for c in node[:2]):
            yield float(node[0]), float(node[1])
        else:
            for child in node:
                yield from _coordinates(child)


def _geojson(value: Any) -> Optional[dict]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _geometries(doc: dict) -> Iterator[dict]:
    for key in ("spatial", "spatial_geom"):
        geo = _geojson(doc.get(key))
        if geo:
            yield geo
    coverage = doc.get("spatial_coverage")
    if isinstance(coverage, str):
        coverage = _geojson(coverage) or []
    for item in coverage if isinstance(coverage, list) else []:
        for key in ("bbox", "geom", "centroid"):
            geo = _geojson(item.get(key)) if isinstance(item, dict) else None
            if geo:
                yield geo


def bbox_of(doc: dict) -> Optional[Box]:
    points = [pt for geo in _geometries(doc)
              for pt in _coordinates(geo.get("coordinates") or
                                     [g.get("coordinates") for g in geo.get("geometries", [])])]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


class BBoxError(ValueError):
    """A bad ``ext_bbox``; ``code`` is "format" (not four numbers) or "range"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_bbox_param(value: str) -> Box:
    """``ext_bbox=minx,miny,maxx,maxy`` (WGS84 degrees) -> box, or BBoxError."""
    parts = [p.strip() for p in str(value).split(",")]
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError as e:
        raise BBoxError("format") from e
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise BBoxError("range")
    return minx, miny, maxx, maxy


def envelope_body(box: Box) -> str:
    """The Solr spatial predicate for a box (ckanext-spatial's syntax)."""
    minx, miny, maxx, maxy = box
    return f"Intersects(ENVELOPE({minx}, {maxx}, {maxy}, {miny}))"


def parse_envelope(body: str) -> Box:
    match = ENVELOPE_RE.match(body)
    if not match:
        raise ValueError(f"unsupported spatial predicate: {body!r}")
    minx, maxx, maxy, miny = (float(v) for v in match.group(1).split(","))
    return minx, miny, maxx, maxy
