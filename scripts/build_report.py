"""Write the static report: one self-contained HTML file (inline SVG and CSS, no script, no
network) with the dashboard's main figures, for people who will not run a server.

Usage: python scripts/build_report.py [--serving FILE] [--out target/report/index.html]
Reads the serving database read-only (default: scripts/serving_path.py's rule).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import math
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "dashboard"))
sys.path.insert(0, str(REPO / "scripts"))
from boundaries import province_outlines  # noqa: E402
from serving_path import serving_path  # noqa: E402

TIER_COLOURS = {
    "一线": "#b2182b",
    "新一线": "#ef8a62",
    "二线": "#d9b300",
    "三线": "#67a9cf",
    "四线": "#2166ac",
}
STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;max-width:1100px;margin:2em auto;
color:#222;padding:0 1em}
h1{margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #ddd;padding:3px 8px}
th{background:#f4f4f4} td.n{text-align:right}
.warn{background:#fff4d6;padding:.6em 1em;border-radius:6px}
.cards{display:flex;gap:1em;flex-wrap:wrap}
.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em}
.card b{display:block;font-size:1.6em} small{color:#666}
"""


def table(rows: list[tuple], headers: list[str]) -> str:
    def cell(value) -> str:
        if value is None:
            return "<td>—</td>"
        if isinstance(value, float):
            return (
                f'<td class="n">{value:.3f}</td>'
                if abs(value) < 1.5
                else f'<td class="n">{value:.1f}</td>'
            )
        if isinstance(value, int) and not isinstance(value, bool):
            return f'<td class="n">{value}</td>'
        return f"<td>{html.escape(str(value))}</td>"

    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def mercator(longitude: float, latitude: float) -> tuple[float, float]:
    return longitude, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))


def map_svg(units: list[tuple], width: int = 900) -> str:
    """Province outlines and one circle per unit (name, longitude, latitude, tier)."""
    outlines = province_outlines()["features"]
    points = [
        mercator(x, y)
        for f in outlines
        for polygon in f["geometry"]["coordinates"]
        for x, y in polygon[0]
    ]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    scale = width / (east - west)
    height = int((north - south) * scale)

    def xy(longitude: float, latitude: float) -> str:
        x, y = mercator(longitude, latitude)
        return f"{(x - west) * scale:.1f},{(north - y) * scale:.1f}"

    paths = []
    for feature in outlines:
        d = " ".join(
            "M" + " L".join(xy(x, y) for x, y in polygon[0]) + " Z"
            for polygon in feature["geometry"]["coordinates"]
        )
        paths.append(
            f'<path class="province" d="{d}">'
            f"<title>{html.escape(feature['properties']['name'])}</title></path>"
        )
    circles = [
        f'<circle class="unit" cx="{xy(lon, lat).split(",")[0]}" '
        f'cy="{xy(lon, lat).split(",")[1]}" r="4" fill="{TIER_COLOURS.get(tier, "#888")}">'
        f"<title>{html.escape(name)} {html.escape(tier or '')}</title></circle>"
        for name, lon, lat, tier in units
    ]
    legend = "".join(
        f'<rect x="10" y="{20 + 22 * i}" width="14" height="14" fill="{colour}"/>'
        f'<text x="30" y="{32 + 22 * i}" font-size="14">{label}</text>'
        for i, (label, colour) in enumerate(TIER_COLOURS.items())
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}"><style>.province{{fill:#f4f4f4;stroke:#888;stroke-width:.6}}'
        f".unit{{stroke:#333;stroke-width:.3}}</style>{''.join(paths)}{''.join(circles)}{legend}</svg>"
    )


def build(con: duckdb.DuckDBPyConnection) -> str:
    q = lambda sql, *params: con.execute(sql, list(params)).fetchall()  # noqa: E731
    h3c = "h3c_cddi_2022__city"
    (synthetic,) = q("select bool_or(computed_is_synthetic) from reporting.rankings")[0]
    leader = q(
        "select unit_name_zh, unit_name_en, published_score from reporting.rankings "
        "where framework_id = ? and published_rank = 1",
        h3c,
    )[0]
    tiers = q(
        "select tier_label_zh, tier_name_en, published_n_units, published_mean_score "
        "from reporting.tier_summaries where framework_id = ? order by tier_order",
        h3c,
    )
    top10 = {
        framework: q(
            "select published_rank, unit_name_zh, unit_name_en, province_zh, published_score, "
            "published_tier_label_zh from reporting.rankings "
            "where framework_id = ? and published_rank <= 10 order by published_rank",
            framework,
        )
        for framework in (
            "h3c_cddi_2022__city",
            "ccid_dcc_2022__city",
            "h3c_dei_2021__city",
            "h3c_dei_2020__city",
        )
    }
    units = q(
        "select unit_name_zh, longitude, latitude, published_tier_label_zh from reporting.rankings "
        "where framework_id = ? and is_published and longitude is not null",
        h3c,
    )
    moves = q(
        "select published_tier_before_zh, published_tier_after_zh, count(*) "
        "from reporting.tier_transitions "
        "where from_edition_id = 'h3c_dei_2021' and to_edition_id = 'h3c_cddi_2022' group by all"
    )
    order = list(TIER_COLOURS)
    matrix = [
        (
            before,
            *[next((n for b, a, n in moves if b == before and a == after), 0) for after in order],
        )
        for before in order
    ]
    clusters = q(
        "select edition_id, cluster_name_zh, cluster_name_en, published_weighted_score, "
        "published_members_gdp_weighted_score, computed_gdp_weighted_score, leader_name_zh "
        "from reporting.cluster_scores where published_weighted_score is not null "
        "order by edition_id desc, published_weighted_score desc"
    )
    comparison = q(
        "select n_cities_h3c, n_cities_ccid, n_cities_in_both, n_in_both_top_10, spearman_rho, "
        "kendall_tau from reporting.h3c_vs_ccid_summary"
    )[0]
    by_region = q(
        "select area_name_zh, area_name_en, n_cities_h3c_top_100, n_cities_ccid_top_100, "
        "n_cities_in_both from reporting.h3c_vs_ccid_by_area where area_type = 'macro_region' "
        "order by area_name_en"
    )
    lanzhou = q(
        "select name_as_printed, scale_100m_yuan::double, is_counted, discrepancy_id, source_ref "
        "from reporting.digital_economy_scale where is_printed_twice order by is_counted desc"
    )
    scale_tier = q(
        "select tier_label_zh, n_cities, mean_scale_100m_yuan, mean_scale_all_printed_rows, "
        "published_mean_scale_100m_yuan from reporting.digital_economy_scale_by_tier "
        "where published_mean_scale_100m_yuan is not null order by tier_code"
    )
    kinds = q(
        "select figure_kind, count(*), count(*) filter (where is_synthetic) "
        "from reporting.figure_sources group by all order by 1"
    )
    warning = (
        '<p class="warn">计算值来自合成样本 · Figures marked <i>computed</i> come from the '
        "SYNTHETIC sample calibrated to the reports, not from measured data. "
        "Published figures are as printed.</p>"
        if synthetic
        else ""
    )
    cards = "".join(
        f'<div class="card">{html.escape(label)}<b>{html.escape(str(value))}</b></div>'
        for label, value in [
            (
                "2022 第一名 Leader (H3C, published)",
                f"{leader[0]} {leader[1]} {float(leader[2]):.1f}",
            ),
            *[(f"{zh} {en} (published)", n) for zh, en, n, _ in tiers],
            ("H3C vs CCID Spearman ρ", f"{comparison[4]:.3f}"),
            ("Kendall τ", f"{comparison[5]:.3f}"),
        ]
    )
    sections = [
        f"<h1>数字城市指数 Digital City Index</h1><small>Built {dt.date.today()} "
        "from the serving database (reporting marts). "
        "Sources: H3C 2020/2021/2022 and CCID 2022 reports.</small>",
        warning,
        f'<div class="cards">{cards}</div>',
        "<h2>排名 Rankings — top 10 (published)</h2>",
        *[
            f"<h3>{framework}</h3>"
            + table(
                [tuple(float(v) if hasattr(v, "as_tuple") else v for v in row) for row in rows],
                ["rank", "城市", "city", "省份", "score", "tier"],
            )
            for framework, rows in top10.items()
        ],
        "<h2>地图 Map — H3C 2022 cities by published tier</h2>",
        map_svg(units),
        "<h2>层级变化 Tier transitions 2021 → 2022 (published; the index changed)</h2>",
        table(matrix, ["2021 \\ 2022", *order]),
        "<h2>城市群 Clusters — printed 综合加权评分 and recomputations</h2>",
        table(
            clusters,
            [
                "edition",
                "城市群",
                "cluster",
                "printed",
                "from printed member scores",
                "computed (engine)",
                "leader",
            ],
        ),
        "<h2>H3C vs CCID 2022 (printed ranks)</h2>",
        table(
            [comparison],
            ["H3C cities", "CCID cities", "in both", "both top 10", "Spearman ρ", "Kendall τ"],
        ),
        table(by_region, ["区域", "region", "H3C top 100", "CCID top 100", "ranked by both"]),
        "<h2>来源 Published vs computed</h2>",
        table(kinds, ["figure kind", "columns", "synthetic columns"]),
        "<h3>兰州 printed twice (2021 digital-economy scale, 亿元) — discrepancy applied</h3>",
        table(lanzhou, ["as printed", "亿元", "counted", "discrepancy", "source"]),
        table(
            scale_tier,
            ["tier", "cities", "mean (applied)", "mean (rows as printed)", "printed mean"],
        ),
    ]
    return (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>Digital City Index report</title><style>{STYLE}</style></head>"
        f"<body>{''.join(sections)}</body></html>"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serving", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=REPO / "target" / "report" / "index.html")
    args = parser.parse_args(argv)
    path = args.serving or serving_path()
    if not path.exists():
        print(f"no serving database at {path}: run `make run` first", file=sys.stderr)
        return 1
    with duckdb.connect(str(path), read_only=True) as con:
        document = build(con)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(document, encoding="utf-8")
    print(f"report: {args.out} ({len(document.encode()) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
