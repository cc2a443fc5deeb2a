"""The committed synthetic sample (data/sample/) reproduces what the reports publish.

Scores are recomputed from the committed CSVs with scripts/reference_engine.py and compared with
the published results of the reference warehouse (env DCI_REFERENCE_DUCKDB, default
target/reference/digital_city_index.duckdb). Targets the reports make contradictory are excused
exactly as recorded in marts.fct_source_discrepancies.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import reference_engine as ref  # noqa: E402
from generate_sample import FRAMEWORKS  # noqa: E402
from sample_generator.calibration_rule import calibration_verdicts  # noqa: E402

# Frameworks with a sample file. A framework no printed table names a unit of (a new edition
# from `make new-framework`) has none; test_sample_files_cover_every_printed_framework checks
# that this is the only way to lack one.
SAMPLED = [
    fid
    for fid in FRAMEWORKS
    if (Path(__file__).resolve().parents[2] / "data/sample" / f"{fid}.csv").exists()
]


@pytest.fixture(scope="session")
def warehouse(repo: Path) -> Path:
    path = Path(
        os.environ.get("DCI_REFERENCE_DUCKDB", repo / "target/reference/digital_city_index.duckdb")
    )
    if not path.exists():
        pytest.skip(
            f"reference warehouse not found at {path} (set DCI_REFERENCE_DUCKDB or build "
            "target/reference/digital_city_index.duckdb)"
        )
    return path


@pytest.fixture(scope="session")
def ref_data(warehouse: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            "nodes": con.sql(
                "select framework_id, node_code, parent_code, weight, node_position, is_leaf, "
                "level "
                "from marts.dim_framework_nodes order by framework_id, node_position"
            ).df(),
            "results": con.sql(
                "select framework_id, table_id, unit_level, unit_id, name_as_printed, row_order, "
                "published_rank, cast(published_score as double) published_score, published_tier "
                "from marts.fct_published_results"
            ).df(),
            "tables": con.sql("select * from marts.dim_ranking_tables").df(),
            "aggregates": con.sql(
                "select framework_id, metric, subject_type, subject, "
                "cast(value as double) value from marts.fct_published_aggregates"
            ).df(),
            "tiers": con.sql(
                "select framework_id, coalesce(node_code, 'root') node_code, tier_code, "
                "cast(min_score_inclusive as double) min_score_inclusive, "
                "cast(max_score_exclusive as double) max_score_exclusive "
                "from marts.dim_tier_rules"
            ).df(),
            "disc": con.sql(
                "select framework_id, table_id, check_name, subject "
                "from marts.fct_source_discrepancies"
            ).df(),
        }
    finally:
        con.close()


def read_sample(repo: Path, fid: str) -> pd.DataFrame:
    return pd.read_csv(
        repo / "data/sample" / f"{fid}.csv",
        dtype={"unit": str, "node_code": str, "note": str},
        keep_default_na=False,
    )


def read_catalog(repo: Path, fid: str) -> pd.DataFrame:
    return pd.read_csv(
        repo / "seeds/catalog" / f"indicator_catalog__{fid}.csv", dtype={"node_code": str}
    )


@pytest.fixture(scope="session")
def scores(repo, ref_data) -> dict[str, pd.DataFrame]:
    """unit x node_code score matrix per framework, computed from the committed sample."""
    out = {}
    for fid in SAMPLED:
        raw = read_sample(repo, fid)
        nodes = ref_data["nodes"][ref_data["nodes"].framework_id == fid]
        nodes = nodes.assign(parent_code=nodes.parent_code.where(nodes.parent_code.notna(), None))
        sc = ref.score_framework(
            raw[["unit", "node_code", "value"]], read_catalog(repo, fid), nodes
        )
        out[fid] = sc.pivot(index="unit", columns="node_code", values="score")
    return out


# ----------------------------------------------------------------------------- file shape
def test_sample_files_cover_every_printed_framework(ref_data):
    """Every framework whose printed tables name a unit has a sample file; none other has."""
    printed = set(ref_data["results"].dropna(subset=["unit_id"]).framework_id)
    assert {fid for fid in FRAMEWORKS if fid in printed} == set(SAMPLED)
    assert len(SAMPLED) >= 8


@pytest.mark.parametrize("fid", SAMPLED)
def test_sample_shape(repo, ref_data, fid):
    path = repo / "data/sample" / f"{fid}.csv"
    assert (
        path.read_text(encoding="utf-8").splitlines()[0] == "unit,node_code,value,note,provenance"
    )
    raw = read_sample(repo, fid)
    assert set(raw.provenance) == {"synthetic"}, "every row must have provenance synthetic"
    nodes = ref_data["nodes"][ref_data["nodes"].framework_id == fid]
    leaves = list(nodes[nodes.is_leaf].node_code)
    res = ref_data["results"]
    units = sorted(set(res[res.framework_id == fid].unit_id.dropna()))
    expected = [(u, leaf) for u in units for leaf in leaves]  # sorted by unit, then tree order
    assert list(zip(raw.unit, raw.node_code, strict=True)) == expected


@pytest.mark.parametrize("fid", SAMPLED)
def test_values_plausible(repo, fid):
    raw = read_sample(repo, fid)
    cat = read_catalog(repo, fid).set_index("node_code")
    v = raw[["unit", "node_code", "value"]].join(
        cat.drop(columns=["unit", "note"], errors="ignore"), on="node_code"
    )
    assert ((v.value >= v.plausible_min) & (v.value <= v.plausible_max)).all()
    ordinal = v[v.normalisation == "ordinal_map"]
    assert (
        (ordinal.value == ordinal.value.round())
        & (ordinal.value >= 1)
        & (ordinal.value <= ordinal.ordinal_levels)
    ).all()
    boolean = v[v.normalisation == "boolean_map"]
    assert boolean.value.isin([0, 1]).all()


@pytest.mark.parametrize("fid", SAMPLED)
def test_values_not_flat(repo, ref_data, scores, fid):
    nodes = ref_data["nodes"][ref_data["nodes"].framework_id == fid]
    leaves = list(nodes[nodes.is_leaf].node_code)
    sd = scores[fid][leaves].std(axis=1)
    assert (sd > 5).mean() >= 0.9, f"leaf scores too flat within units: median sd {sd.median():.2f}"
    # and units differ: composites are spread
    assert scores[fid]["root"].std() > 3


@pytest.mark.parametrize("fid", SAMPLED)
def test_scores_in_range(scores, fid):
    s = scores[fid]
    assert s.notna().all().all()
    assert ((s >= 0) & (s <= 100)).all().all()


# ----------------------------------------------------------------------------- calibration
@pytest.mark.parametrize("fid", SAMPLED)
def test_published_scores_ranks_tiers(ref_data, scores, fid):
    """Every printed row of the overall tables reproduces, by the calibration rule (the SQL the
    dbt test and the generator apply; the rule itself is tested in test_calibration_rule.py)."""
    comp = scores[fid]["root"]
    tables = ref_data["tables"]
    overall = tables[(tables.framework_id == fid) & (tables.ranked_node_code == "root")]
    res = ref_data["results"]
    res = res[(res.framework_id == fid) & res.unit_id.notna()]
    # ranks per framework x unit_level over every evaluated unit, as the engine ranks
    units = res.drop_duplicates("unit_id")[["unit_id", "unit_level"]].reset_index(drop=True)
    units["composite"] = units.unit_id.map(comp)
    rank_of = dict(zip(units.unit_id, ref.rank_units(units), strict=True))
    rules = ref_data["tiers"]
    rules = rules[(rules.framework_id == fid) & (rules.node_code == "root")].to_dict("records")
    printed = res[res.table_id.isin(overall.table_id)]
    assert not printed.empty
    computed = printed.assign(
        composite_score_rounded=[ref.round_half_up(comp[u], 1) for u in printed.unit_id],
        composite_rank=[rank_of[u] for u in printed.unit_id],
        tier_code=[ref.tier_for(comp[u], rules) if rules else None for u in printed.unit_id],
    )
    disc = ref_data["disc"]
    verdicts = calibration_verdicts(computed, printed, disc[disc.framework_id == fid])
    failed = verdicts[verdicts.failed_check.notna()]
    assert failed.empty, (
        "printed rows the sample does not reproduce:\n"
        + failed[["table_id", "name_as_printed", "failed_check"]].to_string()
    )
    assert verdicts.rank_verdict.notna().all(), "every printed rank is judged"


@pytest.mark.parametrize("fid", SAMPLED)
def test_printed_pillar_averages(ref_data, scores, fid):
    nodes = ref_data["nodes"]
    pillars = set(nodes[(nodes.framework_id == fid) & (nodes.level == 1)].node_code)
    agg = ref_data["aggregates"]
    agg = agg[
        (agg.framework_id == fid)
        & (agg.metric == "mean_score")
        & (agg.subject_type == "node")
        & agg.subject.isin(pillars)
    ]
    if agg.empty:
        pytest.skip("the reports print no pillar averages for this framework")
    disc = ref_data["disc"]
    if not disc[
        (disc.framework_id == fid) & disc.check_name.isin(["table_mean", "pillar_weighted_mean"])
    ].empty:
        pytest.skip("printed averages recorded as inconsistent with the printed scores")
    for p, m in zip(agg.subject, agg.value, strict=True):
        assert abs(scores[fid][p].mean() - m) <= 0.05 + 1e-9, (
            f"{p}: {scores[fid][p].mean():.3f} vs {m}"
        )


def test_ccid_rank_lists(ref_data, scores):
    fid = "ccid_dcc_2022__city"
    s = scores[fid]
    tables = ref_data["tables"]
    tables = tables[(tables.framework_id == fid) & tables.is_rank_printed]
    res = ref_data["results"]
    units = set(res[res.framework_id == fid].unit_id)
    checked = 0
    for t in tables.sort_values("table_id").to_dict("records"):
        tid = t["table_id"]
        if "ranked_node_code" in t:
            node = t["ranked_node_code"]
        else:  # older warehouse: overall_top100 -> root, pillar_p1_top100 -> p1,
            # indicator_p3_1_top20 -> p3_1
            m = re.fullmatch(
                r"(overall|pillar_(p\d+)|indicator_(p\d+(?:_\d+)+))_top\d+", tid.split("__", 1)[1]
            )
            node = m.group(2) or m.group(3) or "root"
        listed = list(res[res.table_id == tid].sort_values(["published_rank", "row_order"]).unit_id)
        vals = s.loc[listed, node].to_numpy()
        assert (np.diff(vals) < 0).all(), (
            f"{tid}: {node} scores not strictly decreasing in printed rank"
        )
        rest = sorted(units - set(listed))
        if rest:
            assert vals.min() > s.loc[rest, node].max(), (
                f"{tid}: an unlisted unit scores above the list"
            )
        checked += 1
    assert checked >= 4


def test_generator_check_mode(repo, warehouse):
    """The committed files are exactly what the generator produces (byte for byte)."""
    proc = subprocess.run(
        [
            sys.executable,
            str(repo / "scripts/generate_sample.py"),
            "--check",
            "--warehouse",
            str(warehouse),
        ],
        capture_output=True,
        text=True,
        cwd=repo,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_dbt_engine_matches_reference_engine(repo, ref_data, scores):
    """Cross-check: the dbt engine's node scores on the synthetic sample equal reference_engine's.

    Uses the warehouse the dbt build wrote (env DCI_DUCKDB_PATH, as `make test` sets it); skipped
    when it is missing or has no fct_node_scores yet.
    """
    path = os.environ.get("DCI_DUCKDB_PATH")
    if not path or not Path(path).exists():
        pytest.skip("no dbt-built warehouse (set DCI_DUCKDB_PATH)")
    con = duckdb.connect(path, read_only=True)
    try:
        d = con.sql(
            "select framework_id, unit_id, node_code, score_0_100 from marts.fct_node_scores "
            "where is_synthetic"
        ).df()
    except duckdb.Error:
        pytest.skip("the warehouse has no marts.fct_node_scores")
    finally:
        con.close()
    if d.empty:
        pytest.skip("no synthetic node scores in the warehouse")
    for fid, g in d.groupby("framework_id"):
        mine = scores[fid]
        diff = [
            abs(mine.loc[u, n] - s)
            for u, n, s in zip(g.unit_id, g.node_code, g.score_0_100, strict=True)
        ]
        assert max(diff) < 1e-9, f"{fid}: dbt and reference_engine disagree by {max(diff)}"
