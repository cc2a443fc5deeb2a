"""The scale sample generator and the benchmark's two yardsticks (README "Scale").

- scripts/scale_sample.py: seeded, labelled synthetic, the missing share asked for, values in
  each leaf's plausible range and correlated within a unit like real indicators;
- scripts/scale_engines.py: the hand-written DuckDB script and the pandas peer give the same
  three tables as the dbt marts, on generated units plus units and values written here by hand
  (a unit every leaf of which is at its upper goalpost, one with values for one pillar only, and
  one declared in units.csv). `make bench` asserts the same agreement at 10⁵–10⁷ values; here it
  runs on a few hundred units so that it costs seconds, not minutes.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import scale_engines  # noqa: E402
import scale_sample  # noqa: E402

FRAMEWORK = "h3c_cddi_2022__city"
DBT = str(Path(sys.executable).with_name("dbt"))


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"unit": str, "node_code": str}, keep_default_na=False)


def test_the_generator_is_seeded_labelled_synthetic_and_misses_the_share_asked_for(tmp_path):
    first, again, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    counts = scale_sample.generate(first, 400, FRAMEWORK, seed=7, missing_share=0.2)
    scale_sample.generate(again, 400, FRAMEWORK, seed=7, missing_share=0.2)
    scale_sample.generate(other, 400, FRAMEWORK, seed=8, missing_share=0.2)
    for name in ("units.csv", f"{FRAMEWORK}.csv"):
        assert (first / name).read_bytes() == (again / name).read_bytes()
    assert (first / f"{FRAMEWORK}.csv").read_bytes() != (other / f"{FRAMEWORK}.csv").read_bytes()

    values = read(first / f"{FRAMEWORK}.csv")
    units = pd.read_csv(first / "units.csv", dtype=str)
    catalog = scale_sample.catalog(FRAMEWORK).set_index("node_code")
    # Labelled synthetic in every value row, every unit's names and the folder's README.
    assert set(values["provenance"]) == {"synthetic"}
    assert units["name_zh"].str.startswith("合成单位").all()
    assert units["name_en"].str.endswith("(synthetic)").all()
    assert "SYNTHETIC" in (first / "README.md").read_text(encoding="utf-8")
    # Own-data contract of units.csv (docs/engine.md §1); the engine's own check runs below.
    assert list(units.columns[:4]) == ["unit_id", "unit_type", "name_zh", "name_en"]
    assert units["unit_id"].str.fullmatch(r"[a-z][a-z0-9_]*").all() and units["unit_id"].is_unique
    assert units["longitude"].astype(float).between(73, 136).all()
    assert units["latitude"].astype(float).between(3, 54).all()
    # 400 units × 54 leaves, each cell missing with probability 0.2 (3σ ≈ 0.008).
    cells = 400 * len(catalog)
    assert counts == {"units": 400, "leaves": len(catalog), "values": len(values)}
    assert abs(1 - len(values) / cells - 0.2) < 0.015
    # Every value is one the engine accepts.
    rules = catalog.loc[values["node_code"]].reset_index()
    assert values["value"].between(rules["plausible_min"], rules["plausible_max"]).all()
    ordinal = (rules["value_type"] == "ordinal").to_numpy()
    assert (values["value"][ordinal] == values["value"][ordinal].round()).all()
    assert values["value"][(rules["value_type"] == "boolean").to_numpy()].isin([0, 1]).all()
    # Correlated within a unit: a level shared by every leaf, so leaves of different pillars
    # move together (a unit strong in connectivity tends to be strong in governance).
    wide = values.pivot(index="unit", columns="node_code", values="value")
    continuous = catalog[(catalog["value_type"] == "continuous") & (catalog["direction"] == 1)]
    p1 = [code for code in continuous.index if code.startswith("p1_")][0]
    p4 = [code for code in continuous.index if code.startswith("p4_")][0]
    assert wide[p1].corr(wide[p4]) > 0.2


def hand_written_input(raw: Path) -> None:
    """Generated units plus three written here: 锦州 (cn_210700, every leaf at its upper
    goalpost), 景德镇 (cn_360200, the p1 pillar only) and a declared unit with mid values."""
    scale_sample.generate(raw, 300, FRAMEWORK, seed=11, missing_share=0.3)
    catalog = scale_sample.catalog(FRAMEWORK)
    with (raw / "units.csv").open("a", encoding="utf-8", newline="") as units:
        csv.writer(units, lineterminator="\n").writerow(
            ["test_new_district", "prefecture_city", "测试新城", "Test New City", "辽宁省", "", ""]
        )
    rows = []
    for leaf in catalog.itertuples():
        if leaf.value_type == "boolean":
            top, middle = 1, 1
        elif leaf.value_type == "ordinal":
            top, middle = int(leaf.ordinal_levels), 1
        else:
            top = leaf.goalpost_high if leaf.direction == 1 else leaf.goalpost_low
            middle = (leaf.goalpost_low + leaf.goalpost_high) / 2
        rows.append(["cn_210700", leaf.node_code, top, "user_supplied"])
        rows.append(["test_new_district", leaf.node_code, middle, ""])
        if leaf.node_code.startswith("p1_"):
            rows.append(["cn_360200", leaf.node_code, top, ""])
    with (raw / f"{FRAMEWORK}.csv").open("a", encoding="utf-8", newline="") as values:
        csv.writer(values, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def engine_and_peers(tmp_path_factory):
    built = Path(os.environ.get("DCI_DUCKDB_PATH", REPO / "target/test/digital_city_index.duckdb"))
    if not built.exists():
        pytest.skip(f"needs the warehouse `make dbt-test` builds ({built})")
    tmp = tmp_path_factory.mktemp("scale")
    raw = tmp / "raw"
    hand_written_input(raw)
    copies = {}
    for name in ("engine", "handwritten", "pandas"):
        (tmp / name).mkdir()
        copies[name] = tmp / name / "warehouse.duckdb"
        shutil.copy2(built, copies[name])
    # The models reading raw values, with their tests, on a copy of the test warehouse.
    env = dict(os.environ, DBT_PROFILES_DIR=str(REPO), DCI_DUCKDB_PATH=str(copies["engine"]))
    env["DBT_TARGET_PATH"] = str(tmp / "dbt_target")
    result = subprocess.run(
        [DBT, "build", "--quiet", "--select", *scale_engines.ENGINE_SELECTION,
         "--indirect-selection", "cautious", "--vars", json.dumps({"raw_data_dir": str(raw)})],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for kind, run in (
        ("handwritten", scale_engines.handwritten_sql),
        ("pandas", scale_engines.pandas_engine),
    ):
        con = duckdb.connect(str(copies[kind]))
        run(con, raw, FRAMEWORK, kind)
        con.close()
    con = duckdb.connect(str(copies["engine"]), read_only=True)
    for kind in ("handwritten", "pandas"):
        con.execute(f"attach '{copies[kind]}' as {kind}_db (read_only)")
    yield con
    con.close()


def test_the_script_and_the_pandas_peer_give_the_marts_rows_and_values(engine_and_peers):
    con = engine_and_peers
    for kind in ("handwritten", "pandas"):
        assert scale_engines.compare(con, f"{kind}_db.{kind}", FRAMEWORK) == dict.fromkeys(
            scale_engines.TABLES, 0
        )
    counts = con.execute(
        "select count(*), count(distinct unit_id) from marts.fct_indicator_scores "
        "where framework_id = ?",
        [FRAMEWORK],
    ).fetchone()
    assert counts == (303 * 54, 303)  # every evaluated unit × every leaf, missing ones included


def test_what_a_user_sees_for_the_hand_written_units(engine_and_peers):
    con = engine_and_peers
    rows = {
        row[0]: row[1:]
        for row in con.execute(
            "select unit_id, composite_score, composite_rank, tier_code, is_scored, "
            "not_scored_reason, is_synthetic from marts.fct_index_scores where framework_id = ?",
            [FRAMEWORK],
        ).fetchall()
    }
    # Every leaf at its upper goalpost: 100 exactly, first, top tier, not synthetic.
    assert rows["cn_210700"][:3] == (100.0, 1, "tier_1")
    assert rows["cn_210700"][5] is False
    # Values for p1 (weight 0.15) only: coverage 0.150 < 0.5, and why.
    assert rows["cn_360200"][3] is False
    assert rows["cn_360200"][4] == (
        "coverage 0.150 of 0.500 required; pillars short: p2 0.000, p3 0.000, p4 0.000, p5 0.000"
    )
    # The unit declared in units.csv is scored; generated units are marked synthetic.
    assert rows["test_new_district"][3] is True
    assert all(row[5] for unit, row in rows.items() if unit.startswith("syn_"))
    user_units = con.execute(
        "select count(*) filter (where check_failure is null), count(*) "
        "from intermediate.int_user_units_checked"
    ).fetchone()
    assert user_units == (301, 301)  # 300 generated + 1 written here, all valid
