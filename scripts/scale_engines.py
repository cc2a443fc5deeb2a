"""Two stand-alone implementations of the index engine, the yardsticks of the scale benchmark.

- `handwritten_sql`: one hand-written DuckDB script (a handful of statements) — the limit: what
  the engine's maths costs without dbt, views, name resolution or per-rule error messages.
- `pandas_engine`: the same maths in plain pandas — the peer an analyst would write.

Both read one raw value file and `units.csv` from a raw folder (units given by unit_id, as
scripts/scale_sample.py writes them) and the reference tables of a built warehouse (catalog,
tree, tier rules), and write `fct_indicator_scores`, `fct_node_scores` and `fct_index_scores`
into a schema of that warehouse, with the engine marts' columns and row grain (docs/engine.md
§3–§5; the published_* comparison columns are left out: synthetic units have none). Input the
engine would refuse raises ValueError naming the first bad line, so a comparison never runs on
data only one side accepted. `compare` asserts the three tables equal the dbt marts.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

MIN_COVERAGE = 0.5  # var('min_coverage')
GEOMETRIC_FLOOR = 1.0  # var('geometric_mean_floor')
MAX_PILLARS = 6
LEVEL_OF_TYPE = {  # macros/engine/unit_level_of.sql
    "district": "district",
    "county": "county",
    "county_city": "county",
    "autonomous_county": "county",
    "banner": "county",
    "zone": "zone",
    "province": "province",
}
INDICATOR_COLUMNS = [
    "framework_id", "unit_id", "unit_level", "node_code", "raw_value", "treated_value",
    "treatment", "normalisation", "score_0_100", "is_imputed", "provenance", "source_file",
    "source_line", "indicator_score_id", "is_synthetic",
]  # fmt: skip
NODE_COLUMNS = [
    "framework_id", "unit_id", "unit_level", "node_code", "node_level", "score_0_100",
    "coverage", "is_imputed", "is_synthetic", "node_score_id", "node_rank",
]  # fmt: skip
INDEX_COLUMNS = [
    "index_score_id", "framework_id", "unit_id", "unit_level", "composite_score",
    "composite_score_rounded", "composite_rank", "tier_code", "tier_order", "tier_name_zh",
    *[f"p{i}_score" for i in range(1, MAX_PILLARS + 1)],
    "coverage", "is_scored", "not_scored_reason", "is_imputed", "is_synthetic",
]  # fmt: skip
TABLES = {
    "fct_indicator_scores": (INDICATOR_COLUMNS, ["framework_id", "unit_id", "node_code"]),
    "fct_node_scores": (NODE_COLUMNS, ["framework_id", "unit_id", "node_code"]),
    "fct_index_scores": (INDEX_COLUMNS, ["framework_id", "unit_id"]),
}
# The dbt models of the engine chain: every model reading the raw files that one of the three
# marts needs (one intersection per mart: since the marts are views of intermediates, none of
# them is an ancestor of another).
ENGINE_SELECTION = [f"stg_raw__file_lines+,+{table}" for table in TABLES]


def _unit_level_sql(column: str) -> str:
    cases = " ".join(f"when '{t}' then '{level}'" for t, level in LEVEL_OF_TYPE.items())
    return f"case {column} {cases} else 'city' end"


# ------------------------------------------------------------------------------ hand-written SQL
def handwritten_sql(con: duckdb.DuckDBPyConnection, raw_dir: Path, framework_id: str, schema: str):
    """The hand-written DuckDB script: temp tables, then the three result tables."""
    fw = framework_id
    max_depth = con.execute(
        "select max(level) from marts.dim_framework_nodes where framework_id = ?", [fw]
    ).fetchone()[0]
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"""
        create or replace temp table units as
        select unit_id, {_unit_level_sql("unit_type")} as unit_level
        from read_csv('{raw_dir}/units.csv', header = true, all_varchar = true)
        union all
        select unit_id, {_unit_level_sql("unit_type")} from staging.stg_geography__geo_units
    """)
    # Every line, typed and checked in one pass (header = line 1).
    con.execute(f"""
        create or replace temp table lines as
        select
            trim(r.unit) as unit_id, u.unit_level, trim(r.node_code) as node_code,
            try_cast(trim(r.value) as double) as v,
            coalesce(nullif(trim(r.provenance), ''), 'user_supplied') as provenance,
            row_number() over () + 1 as source_line,
            c.node_code is not null and u.unit_id is not null and v is not null
            and v between c.plausible_min and c.plausible_max
            and (c.value_type != 'ordinal' or (v = round(v) and v between 1 and c.ordinal_levels))
            and (c.value_type != 'boolean' or v in (0, 1)) as is_valid
        from read_csv('{raw_dir}/{fw}.csv', header = true, all_varchar = true) as r
        left join units as u on trim(r.unit) = u.unit_id
        left join staging.stg_catalog__indicators as c
            on c.framework_id = '{fw}' and trim(r.node_code) = c.node_code
    """)  # noqa: E501
    bad = con.execute(
        "select min(source_line) filter (where not is_valid), count(*) - count(distinct "
        "(unit_id, node_code)) from lines"
    ).fetchone()
    if bad[0] is not None or bad[1]:
        raise ValueError(f"{fw}.csv: invalid line {bad[0]} or {bad[1]} duplicate cells")
    con.execute(f"""
        create or replace table {schema}.fct_indicator_scores as
        with grid as (
            select e.unit_id, e.unit_level, c.*
            from (select distinct unit_id, unit_level from lines) as e
            cross join (select * from staging.stg_catalog__indicators where framework_id = '{fw}') as c
        ),
        joined as (
            select g.*, l.v as value, l.provenance, l.source_line
            from grid as g
            left join lines as l on g.unit_id = l.unit_id and g.node_code = l.node_code
        ),
        stats as (
            select node_code, min(value) as lo, max(value) as hi, count(value) as n,
                list(value order by unit_id) filter (where normalisation = 'zscore' and value is not null) as zs,
                list_avg(zs) as mu, list_stddev_samp(zs) as sd
            from joined group by node_code
        ),
        ranks as (
            select unit_id, node_code, rank() over (partition by node_code order by direction * value) as rk
            from joined where normalisation = 'percentile' and value is not null
        ),
        with_stats as (
            select j.*, s.lo, s.hi, s.n, s.mu, s.sd, r.rk
            from joined as j join stats as s using (node_code)
            left join ranks as r using (unit_id, node_code)
        )
        select
            '{fw}' as framework_id, unit_id, unit_level, node_code, value as raw_value,
            value as treated_value, case when value is not null then 'none' end as treatment,
            normalisation,
            case
                when value is null then null
                when normalisation = 'goalposts' then 100.0 * greatest(0.0, least(1.0, case
                    when direction = -1 then (goalpost_high - value) / (goalpost_high - goalpost_low)
                    else (value - goalpost_low) / (goalpost_high - goalpost_low) end))
                when normalisation = 'minmax' then case when direction = -1
                    then 100.0 * (hi - value) / (hi - lo) else 100.0 * (value - lo) / (hi - lo) end
                when normalisation = 'zscore'
                    then greatest(0.0, least(100.0, 50.0 + 10.0 * direction * (value - mu) / sd))
                when normalisation = 'percentile' then 100.0 * (rk - 1) / (n - 1)
                when normalisation = 'ordinal_map' then case when direction = -1
                    then 100.0 * (ordinal_levels - value) / (ordinal_levels - 1)
                    else 100.0 * (value - 1) / (ordinal_levels - 1) end
                when normalisation = 'boolean_map'
                    then case when direction = -1 then 100.0 * (1 - value) else 100.0 * value end
            end as score_0_100,
            value is null as is_imputed, coalesce(provenance, 'missing') as provenance,
            case when value is not null then '{fw}.csv' end as source_file, source_line,
            '{fw}:' || unit_id || ':' || node_code as indicator_score_id,
            coalesce(provenance = 'synthetic', false) as is_synthetic
        from with_stats
    """)  # noqa: E501
    # Roll-up, one tree level at a time: weighted mean over the scored children, coverage.
    con.execute(f"""
        create or replace temp table level_{max_depth} as
        select s.unit_id, s.unit_level, s.node_code, n.level as node_level, s.score_0_100 as score,
            s.is_imputed, n.effective_weight as leaf_weight,
            case when s.is_imputed then 0.0 else n.effective_weight end as covered_weight
        from {schema}.fct_indicator_scores as s
        join marts.dim_framework_nodes as n on n.framework_id = '{fw}' and s.node_code = n.node_code
    """)
    for depth in range(max_depth - 1, -1, -1):
        con.execute(f"""
            create or replace temp table level_{depth} as
            with agg as (
                select c.unit_id, c.unit_level, p.node_code, p.level as node_level, p.aggregation,
                    list({{'c': c.covered_weight, 'l': c.leaf_weight, 'w': cn.weight,
                          'x': case when p.aggregation = 'geometric'
                                then ln(greatest(c.score, {GEOMETRIC_FLOOR})) else c.score end}}
                        order by c.node_code) as kids,
                    bool_or(c.is_imputed) as is_imputed
                from level_{depth + 1} as c
                join marts.dim_framework_nodes as cn on cn.framework_id = '{fw}' and c.node_code = cn.node_code
                join marts.dim_framework_nodes as p on p.framework_id = '{fw}' and cn.parent_code = p.node_code
                where c.node_level = {depth + 1}
                group by c.unit_id, c.unit_level, p.node_code, p.level, p.aggregation
            ),
            sums as (
                select *, list_sum([k.c for k in kids]) as covered_weight,
                    list_sum([k.l for k in kids]) as leaf_weight,
                    list_sum([k.w for k in kids if k.x is not null]) as sw,
                    list_sum([k.w * k.x for k in kids]) as weighted_sum
                from agg
            )
            select * from level_{depth + 1}
            union all
            select unit_id, unit_level, node_code, node_level,
                case when covered_weight / leaf_weight >= {MIN_COVERAGE} and sw > 0
                    then least(greatest(case when aggregation = 'geometric'
                        then exp(weighted_sum / sw) else weighted_sum / sw end, 0.0), 100.0) end,
                is_imputed, leaf_weight, covered_weight
            from sums
        """)  # noqa: E501
    con.execute(f"""
        create or replace table {schema}.fct_node_scores as
        with synthetic as (
            select unit_id, bool_or(is_synthetic) as is_synthetic
            from {schema}.fct_indicator_scores group by unit_id
        )
        select '{fw}' as framework_id, l.unit_id, l.unit_level, l.node_code, l.node_level,
            l.score as score_0_100, l.covered_weight / l.leaf_weight as coverage, l.is_imputed,
            s.is_synthetic, '{fw}:' || l.unit_id || ':' || l.node_code as node_score_id,
            case when l.score is not null then row_number() over (
                partition by l.unit_level, l.node_code
                order by round(l.score, 9) desc nulls last, l.unit_id) end as node_rank
        from level_0 as l join synthetic as s on l.unit_id = s.unit_id
    """)
    pillars = ", ".join(
        f"max(score_0_100) filter (where node_code = 'p{i}') as p{i}_score"
        for i in range(1, MAX_PILLARS + 1)
    )
    con.execute(f"""
        create or replace table {schema}.fct_index_scores as
        with pillars as (
            select unit_id, {pillars},
                string_agg(node_code || ' ' || printf('%.3f', coverage), ', ' order by node_code)
                    filter (where coverage < {MIN_COVERAGE}) as pillars_short
            from {schema}.fct_node_scores where node_level = 1 group by unit_id
        ),
        tiers as (select * from marts.dim_tier_rules where framework_id = '{fw}' and node_code = 'root')
        select '{fw}:' || r.unit_id as index_score_id, '{fw}' as framework_id, r.unit_id,
            r.unit_level, r.score_0_100 as composite_score,
            floor(r.score_0_100 * 10 + 0.5 + 1e-9) / 10 as composite_score_rounded,
            r.node_rank as composite_rank, t.tier_code, t.tier_order, t.tier_name_zh,
            {", ".join(f"p.p{i}_score" for i in range(1, MAX_PILLARS + 1))},
            r.coverage, r.score_0_100 is not null as is_scored,
            case when r.score_0_100 is null then 'coverage ' || printf('%.3f', r.coverage)
                || ' of ' || printf('%.3f', {MIN_COVERAGE}) || ' required'
                || coalesce('; pillars short: ' || p.pillars_short, '') end as not_scored_reason,
            r.is_imputed, r.is_synthetic
        from {schema}.fct_node_scores as r
        join pillars as p on r.unit_id = p.unit_id
        left join tiers as t
            on (r.score_0_100 >= t.min_score_inclusive or t.min_score_inclusive is null)
            and (r.score_0_100 < t.max_score_exclusive or t.max_score_exclusive is null)
        where r.node_code = 'root'
    """)  # noqa: E501


# ------------------------------------------------------------------------------ pandas peer
def _ordered_group_sums(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """Per group of consecutive rows with equal keys: the first row's keys and unit_level, the
    columns summed strictly left to right and is_imputed or-ed. Left to right, as the engine's
    list_sum over children in node_code order, so the sums agree to the last bit (a pandas
    groupby sum compensates, numpy sums pairwise: both round differently)."""
    n = len(frame)
    codes = [pd.factorize(frame[key])[0] for key in keys]
    first = np.zeros(n, dtype=bool)
    first[:1] = True
    for code in codes:
        first[1:] |= code[1:] != code[:-1]
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    position = np.arange(n) - starts[group]
    out = frame.iloc[starts][[*keys, "unit_level"]].reset_index(drop=True)
    for column in columns:
        values, total = frame[column].to_numpy(dtype=float), np.zeros(len(starts))
        for j in range(position.max() + 1 if n else 0):
            at = position == j
            total[group[at]] += values[at]
        out[column] = total
    out["is_imputed"] = np.logical_or.reduceat(frame["is_imputed"].to_numpy(dtype=bool), starts)
    return out


def _stripped(column: pd.Series) -> pd.Series:
    """A categorical column with its labels stripped of surrounding spaces."""
    labels = column.cat.categories.str.strip()
    return pd.Series(labels[column.cat.codes], index=column.index, dtype="category")


def pandas_engine(con: duckdb.DuckDBPyConnection, raw_dir: Path, framework_id: str, schema: str):
    """The same maths in pandas; results written into the warehouse for comparison."""
    fw = framework_id
    catalog = con.execute(
        "select * from staging.stg_catalog__indicators where framework_id = ?", [fw]
    ).df()
    nodes = con.execute("select * from marts.dim_framework_nodes where framework_id = ?", [fw]).df()
    tiers = con.execute(
        "select * from marts.dim_tier_rules where framework_id = ? and node_code = 'root'", [fw]
    ).df()
    gazetteer = con.execute("select unit_id, unit_type from staging.stg_geography__geo_units").df()
    declared = pd.read_csv(raw_dir / "units.csv", dtype=str, keep_default_na=False)
    units = pd.concat([declared[["unit_id", "unit_type"]], gazetteer], ignore_index=True)
    unit_level = units["unit_type"].map(LEVEL_OF_TYPE).fillna("city")
    level_of_unit = pd.Series(unit_level.to_numpy(), index=units["unit_id"].to_numpy())

    # Keys as categories (a few thousand distinct strings, not 10⁷ Python strings).
    raw = pd.read_csv(
        raw_dir / f"{fw}.csv",
        dtype={"unit": "category", "node_code": "category", "provenance": "category", "value": str},
        keep_default_na=False,
    )
    lines = pd.DataFrame(
        {
            "unit_id": _stripped(raw["unit"]),
            "node_code": _stripped(raw["node_code"]),
            "value": pd.to_numeric(raw["value"].str.strip(), errors="coerce"),
            "provenance": _stripped(raw["provenance"]).replace("", "user_supplied")
            if "provenance" in raw
            else "user_supplied",
            "source_line": np.arange(2, len(raw) + 2, dtype=np.int64),
        }
    )
    del raw
    lines["unit_level"] = lines["unit_id"].map(level_of_unit)
    leaf = catalog.set_index("node_code")
    rules = leaf.reindex(lines["node_code"])
    value = lines["value"].to_numpy()
    valid = (
        lines["unit_level"].notna().to_numpy()
        & lines["node_code"].isin(leaf.index).to_numpy()
        & ~np.isnan(value)
        & (value >= rules["plausible_min"].to_numpy())
        & (value <= rules["plausible_max"].to_numpy())
        & ((rules["value_type"] != "ordinal").to_numpy() | ((value == np.round(value)) & (value >= 1) & (value <= rules["ordinal_levels"].to_numpy())))  # noqa: E501
        & ((rules["value_type"] != "boolean").to_numpy() | np.isin(value, [0, 1]))
    )  # fmt: skip
    if not valid.all() or lines.duplicated(["unit_id", "node_code"]).any():
        first = int(lines["source_line"].to_numpy()[~valid][0]) if not valid.all() else None
        raise ValueError(f"{fw}.csv: invalid line {first} or duplicate cells")

    # Indicator scores: every evaluated unit × leaf, normalised.
    evaluated = lines[["unit_id", "unit_level"]].drop_duplicates()
    grid = evaluated.merge(catalog, how="cross").merge(
        lines[["unit_id", "node_code", "value", "provenance", "source_line"]],
        on=["unit_id", "node_code"],
        how="left",
    )
    by_leaf = grid.groupby("node_code")["value"]
    x, d = grid["value"], grid["direction"]
    low, high, k = grid["goalpost_low"], grid["goalpost_high"], grid["ordinal_levels"]
    lo, hi = by_leaf.transform("min"), by_leaf.transform("max")
    mu, sd, n = by_leaf.transform("mean"), by_leaf.transform("std"), by_leaf.transform("count")
    rank = (grid["direction"] * x).groupby(grid["node_code"]).rank(method="min")
    method = grid["normalisation"]
    score = np.select(
        [
            method == "goalposts",
            method == "minmax",
            method == "zscore",
            method == "percentile",
            method == "ordinal_map",
            method == "boolean_map",
        ],
        [
            100.0 * np.clip(np.where(d == -1, high - x, x - low) / (high - low), 0, 1),
            np.where(d == -1, 100.0 * (hi - x) / (hi - lo), 100.0 * (x - lo) / (hi - lo)),
            np.clip(50.0 + 10.0 * d * (x - mu) / sd, 0, 100),
            100.0 * (rank - 1) / (n - 1),
            np.where(d == -1, 100.0 * (k - x) / (k - 1), 100.0 * (x - 1) / (k - 1)),
            np.where(d == -1, 100.0 * (1 - x), 100.0 * x),
        ],
        np.nan,
    )  # fmt: skip
    missing = x.isna()
    provenance = grid["provenance"].cat.add_categories(["missing"]).fillna("missing")
    indicator = pd.DataFrame(
        {
            "framework_id": fw,
            "unit_id": grid["unit_id"],
            "unit_level": grid["unit_level"],
            "node_code": grid["node_code"],
            "raw_value": x,
            "treated_value": x,
            "treatment": np.where(missing, None, "none"),
            "normalisation": method,
            "score_0_100": np.where(missing, np.nan, score),
            "is_imputed": missing,
            "provenance": provenance,
            "source_file": np.where(missing, None, f"{fw}.csv"),
            "source_line": grid["source_line"].astype("Int64"),
            "is_synthetic": provenance == "synthetic",
        }
    )

    # Roll-up, one level at a time.
    tree = nodes.set_index("node_code")
    level = pd.DataFrame(
        {
            "unit_id": indicator["unit_id"],
            "unit_level": indicator["unit_level"],
            "node_code": indicator["node_code"],
            "node_level": indicator["node_code"].map(tree["level"]),
            "score": indicator["score_0_100"],
            "is_imputed": missing,
            "leaf_weight": indicator["node_code"].map(tree["effective_weight"]),
        }
    )
    level["covered_weight"] = np.where(missing, 0.0, level["leaf_weight"])
    parts = [level]
    code_order = pd.Series(np.arange(len(tree)), index=sorted(tree.index))
    for depth in range(int(tree["level"].max()) - 1, -1, -1):
        children = level[level["node_level"] == depth + 1]
        weight = children["node_code"].map(tree["weight"])
        scored = children["score"].notna()
        parent = children["node_code"].map(tree["parent_code"])
        is_geometric = parent.map(tree["aggregation"]) == "geometric"
        term = np.where(
            is_geometric, weight * np.log(np.maximum(children["score"], GEOMETRIC_FLOOR)),
            weight * children["score"],
        )  # fmt: skip
        frame = pd.DataFrame(
            {
                "unit_id": children["unit_id"],
                "unit_level": children["unit_level"],
                "node_code": parent,
                "order": children["node_code"].map(code_order),
                "covered_weight": children["covered_weight"],
                "leaf_weight": children["leaf_weight"],
                "sw": weight.where(scored, 0.0),
                "term": np.where(scored, term, 0.0),
                "is_imputed": children["is_imputed"],
            }
        ).sort_values(["unit_id", "node_code", "order"])
        agg = _ordered_group_sums(
            frame, ["unit_id", "node_code"], ["covered_weight", "leaf_weight", "sw", "term"]
        )
        mean = agg["term"] / agg["sw"]
        mean = np.where(
            agg["node_code"].map(tree["aggregation"]) == "geometric", np.exp(mean), mean
        )
        ok = (agg["covered_weight"] / agg["leaf_weight"] >= MIN_COVERAGE) & (agg["sw"] > 0)
        level = pd.DataFrame(
            {
                "unit_id": agg["unit_id"],
                "unit_level": agg["unit_level"],
                "node_code": agg["node_code"],
                "node_level": depth,
                "score": np.where(ok, np.clip(mean, 0.0, 100.0), np.nan),
                "is_imputed": agg["is_imputed"] > 0,
                "leaf_weight": agg["leaf_weight"],
                "covered_weight": agg["covered_weight"],
            }
        )
        parts.append(level)
    rolled = pd.concat(parts, ignore_index=True)
    synthetic = indicator.groupby("unit_id")["is_synthetic"].any()
    rolled["rounded"] = rolled["score"].round(9)
    rolled = rolled.sort_values(
        ["unit_level", "node_code", "rounded", "unit_id"], ascending=[True, True, False, True]
    )
    rank = rolled.groupby(["unit_level", "node_code"]).cumcount() + 1
    node = pd.DataFrame(
        {
            "framework_id": fw,
            "unit_id": rolled["unit_id"],
            "unit_level": rolled["unit_level"],
            "node_code": rolled["node_code"],
            "node_level": rolled["node_level"].astype(np.int32),
            "score_0_100": rolled["score"],
            "coverage": rolled["covered_weight"] / rolled["leaf_weight"],
            "is_imputed": rolled["is_imputed"].astype(bool),
            "is_synthetic": rolled["unit_id"].map(synthetic),
            "node_rank": rank.where(rolled["score"].notna()).astype("Int64"),
        }
    )

    # Index scores: composite, rank, tier, pillars, why not scored.
    # One row per unit from here: plain string keys.
    root = node[node["node_code"] == "root"].astype({"unit_id": str}).set_index("unit_id")
    pillar_rows = node[node["node_level"] == 1].astype({"unit_id": str, "node_code": str})
    pillar = pillar_rows.pivot(index="unit_id", columns="node_code", values="score_0_100")
    short = pillar_rows[pillar_rows["coverage"] < MIN_COVERAGE].sort_values("node_code")
    short_text = (
        (short["node_code"] + " " + short["coverage"].map("{:.3f}".format))
        .groupby(short["unit_id"])
        .agg(", ".join)
    )
    composite = root["score_0_100"]
    tier = pd.Series(None, index=root.index, dtype=object)
    for rule in tiers.itertuples():
        inside = (composite >= rule.min_score_inclusive) | pd.isna(rule.min_score_inclusive)
        inside &= (composite < rule.max_score_exclusive) | pd.isna(rule.max_score_exclusive)
        tier[inside & composite.notna()] = rule.tier_code
    tier_info = tiers.set_index("tier_code")
    reason = (
        "coverage " + root["coverage"].map("{:.3f}".format) + f" of {MIN_COVERAGE:.3f} required"
        + ("; pillars short: " + short_text.reindex(root.index)).fillna("")
    )  # fmt: skip
    index = pd.DataFrame(
        {
            "index_score_id": fw + ":" + root.index.astype(str),
            "framework_id": fw,
            "unit_id": root.index,
            "unit_level": root["unit_level"],
            "composite_score": composite,
            "composite_score_rounded": np.floor(composite * 10 + 0.5 + 1e-9) / 10,
            "composite_rank": root["node_rank"],
            "tier_code": tier,
            "tier_order": tier.map(tier_info["tier_order"]).astype("Int64"),
            "tier_name_zh": tier.map(tier_info["tier_name_zh"]),
            **{
                f"p{i}_score": pillar.get(f"p{i}", pd.Series(np.nan, index=pillar.index)).reindex(
                    root.index
                )
                for i in range(1, MAX_PILLARS + 1)
            },
            "coverage": root["coverage"],
            "is_scored": composite.notna(),
            "not_scored_reason": reason.where(composite.isna()),
            "is_imputed": root["is_imputed"],
            "is_synthetic": root["is_synthetic"],
        }
    )
    con.execute(f"create schema if not exists {schema}")
    for name, frame in (
        ("fct_indicator_scores", indicator),
        ("fct_node_scores", node),
        ("fct_index_scores", index),
    ):
        # The id columns are concatenated while writing (10⁷ Python strings would not fit).
        columns = (
            ", ".join(TABLES[name][0])
            .replace(
                "indicator_score_id",
                f"'{fw}:' || unit_id || ':' || node_code as indicator_score_id",
            )
            .replace("node_score_id", f"'{fw}:' || unit_id || ':' || node_code as node_score_id")
        )
        con.register("frame", frame)
        con.execute(f"create or replace table {schema}.{name} as select {columns} from frame")
        con.unregister("frame")


# ------------------------------------------------------------------------------ comparison
def compare(con: duckdb.DuckDBPyConnection, schema: str, framework_id: str) -> dict[str, int]:
    """Rows of each table that differ from the dbt mart (missing on a side, or a value off by
    more than 1e-9); raises AssertionError naming the first difference."""
    differences = {}
    for table, (columns, keys) in TABLES.items():
        on = " and ".join(f"e.{k} = o.{k}" for k in keys)
        differs = " or ".join(
            f"not (e.{c} is not distinct from o.{c} or abs(e.{c} - o.{c}) <= 1e-9)"
            if c.endswith(("score", "_0_100", "value", "coverage", "rounded"))
            else f"e.{c}::varchar is distinct from o.{c}::varchar"
            for c in columns
        )
        query = f"""
            select coalesce(e.{keys[-1]}, o.{keys[-1]}) as key, e.unit_id is null as only_other,
                o.unit_id is null as only_engine
            from (select * from marts.{table} where framework_id = '{framework_id}') as e
            full join {schema}.{table} as o on {on}
            where e.unit_id is null or o.unit_id is null or {differs}
        """
        rows = con.execute(query).fetchall()
        differences[table] = len(rows)
        if rows:
            raise AssertionError(f"{schema}.{table} differs from marts.{table}: {rows[:3]} …")
    return differences
