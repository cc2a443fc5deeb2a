"""A research team's own indicator values, end to end, as a user runs them (README "Computing
scores from your own indicator values").

Input is hand-written and non-synthetic (tests/python/fixtures/own_data/: values typed in each
indicator's catalog unit). Expected composites come from the Python reference engine
(scripts/reference_engine.py), computed here independently of the dbt models, with the unit
resolution written out by hand (锦州 → cn_210700, …).

Every build here publishes into a fresh temporary warehouse; nothing touches warehouse/.
"""

from __future__ import annotations

import csv
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import reference_engine as ref  # noqa: E402

FIXTURES = REPO / "tests" / "python" / "fixtures" / "own_data"
DBT = str(Path(sys.executable).with_name("dbt"))
EXIT_OK, EXIT_INPUT_REJECTED = 0, 10
CCID = "ccid_dcc_2022__city"
# How each unit of the valid fixture must resolve (by hand, from GB/T 2260 and units.csv).
VALID_UNITS = {
    "锦州": "cn_210700",
    "景德镇市": "cn_360200",
    "深圳": "cn_440300",
    "cn_330100": "cn_330100",
    "user_xiongan": "user_xiongan",
    "张家界": "cn_430800",
    "云浮": "cn_445300",
}


def run(command: list[str], cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, DBT_PROFILES_DIR=str(cwd), **env)
    return subprocess.run(
        command, cwd=cwd, env=full_env, capture_output=True, text=True, check=False
    )


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def make_refresh(raw_dir: Path, live: Path) -> subprocess.CompletedProcess:
    """`DCI_RAW_DATA_DIR=… DCI_DUCKDB_PATH=… make refresh`, the documented own-data command."""
    return run(
        ["make", "-s", "refresh"],
        DCI_RAW_DATA_DIR=str(raw_dir),
        DCI_DUCKDB_PATH=str(live),
        DCI_LOG_FILE=str(live.parent / "refresh.log"),
    )


def reference_scores(
    raw_csv: Path,
    unit_ids: dict[str, str],
    nodes: pd.DataFrame,
    framework_id: str,
    min_coverage: float = 0.5,
) -> dict[str, dict[str, float | None]]:
    """unit_id -> node_code -> score, by the Python reference engine."""
    with raw_csv.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["value"].strip()]
    raw = pd.DataFrame(
        {
            "unit": [unit_ids[row["unit"]] for row in rows],
            "node_code": [row["node_code"] for row in rows],
            "value": [float(row["value"]) for row in rows],
        }
    )
    catalog = pd.read_csv(REPO / "seeds" / "catalog" / f"indicator_catalog__{framework_id}.csv")
    scores = ref.score_framework(raw, catalog, nodes, min_coverage)
    out: dict[str, dict[str, float | None]] = {}
    for row in scores.itertuples():
        out.setdefault(row.unit, {})[row.node_code] = None if pd.isna(row.score) else row.score
    return out


def framework_nodes(warehouse: Path, framework_id: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select node_code, parent_code, weight from marts.dim_framework_nodes "
            "where framework_id = ?",
            [framework_id],
        ).df()


def index_scores(warehouse: Path) -> dict[str, dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = con.execute("select * from marts.fct_index_scores").df()
    return {row["unit_id"]: row for row in frame.to_dict("records")}


@pytest.fixture(scope="module")
def valid_build(tmp_path_factory):
    live = tmp_path_factory.mktemp("own_valid") / "mine.duckdb"
    result = make_refresh(FIXTURES / "valid", live)
    assert result.returncode == EXIT_OK, output(result)[-5000:]
    return {"live": live, "result": result}


def test_full_coverage_matches_the_reference_engine_including_never_printed_units(valid_build):
    live = valid_build["live"]
    expected = reference_scores(
        FIXTURES / "valid" / f"{CCID}.csv", VALID_UNITS, framework_nodes(live, CCID), CCID
    )
    computed = index_scores(live)
    for unit_id in (
        "cn_210700",
        "cn_360200",
        "cn_440300",
        "cn_330100",
        "user_xiongan",
        "cn_445300",
    ):
        assert computed[unit_id]["composite_score"] == pytest.approx(
            expected[unit_id]["root"], abs=1e-9
        ), unit_id
        assert computed[unit_id]["is_synthetic"] is False or computed[unit_id]["is_synthetic"] == 0
    scored = sorted(
        (unit for unit in expected if expected[unit]["root"] is not None),
        key=lambda unit: (-expected[unit]["root"], unit),
    )
    assert [computed[unit]["composite_rank"] for unit in scored] == list(range(1, len(scored) + 1))
    # 锦州 and 景德镇 are printed in no report: they have no published rank beside them.
    assert pd.isna(computed["cn_210700"]["published_rank"]) and pd.isna(
        computed["cn_360200"]["published_rank"]
    )


def test_partial_coverage_scores_some_units_and_says_why_not_the_others(valid_build):
    computed = index_scores(valid_build["live"])
    yunfu, zhangjiajie = computed["cn_445300"], computed["cn_430800"]
    assert yunfu["is_scored"] and yunfu["is_imputed"] and yunfu["coverage"] == pytest.approx(0.75)
    # 张家界: p1_1, p1_3 (1/18 each), p3_2 (1/24), p6_1 (1/12) of the equal placeholder weights.
    assert not zhangjiajie["is_scored"] and pd.isna(zhangjiajie["composite_score"])
    assert zhangjiajie["coverage"] == pytest.approx(1 / 18 + 1 / 18 + 1 / 24 + 1 / 12)
    assert zhangjiajie["not_scored_reason"] == (
        "coverage 0.236 of 0.500 required; pillars short: p2 0.000, p3 0.250, p4 0.000, p5 0.000"
    )


def test_a_user_defined_unit_from_units_csv_is_scored_and_described(valid_build):
    with duckdb.connect(str(valid_build["live"]), read_only=True) as con:
        unit = con.execute(
            "select name_zh, name_en, unit_source, province_zh, longitude from marts.dim_geo_units"
            " where unit_id = 'user_xiongan'"
        ).fetchone()
    assert unit == ("雄安新区", "Xiong'an New Area", "user", "河北省", 115.98)
    assert index_scores(valid_build["live"])["user_xiongan"]["composite_rank"] == 3


def test_published_rankings_stay_in_the_serving_marts_beside_the_users_scores(valid_build):
    """Own values for a few cities never hide what the reports publish: reporting.rankings keeps
    every printed CCID rank, and the user's units carry computed figures only."""
    serving = valid_build["live"].with_name("mine_serving.duckdb")
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.execute(
            """
            select count(*) filter (where is_published),
                   count(*) filter (where computed_score is not null),
                   count(*) filter (where is_published and computed_score is null),
                   any_value(computed_basis) filter (where is_published and computed_score is null),
                   any_value(published_rank) filter (where unit_id = 'cn_110000')
            from reporting.rankings where framework_id = ?
            """,
            [CCID],
        ).fetchone()
    with duckdb.connect(str(valid_build["live"]), read_only=True) as con:
        printed = con.execute(
            "select count(*) from marts.fct_published_results "
            "where framework_id = ? and ranked_node_code = 'root'",
            [CCID],
        ).fetchone()[0]
    n_published, n_computed, n_published_only, basis, beijing_rank = rows
    scored = sum(
        1
        for unit in index_scores(valid_build["live"]).values()
        if pd.notna(unit["composite_score"])
    )
    assert n_published == printed == 100
    assert n_computed == scored
    assert n_published_only >= 100 - len(VALID_UNITS)
    assert basis == "not computed: no raw indicator values were given for this unit"
    assert beijing_rank == 1


def test_the_summary_prints_given_scored_imputed_not_scored_and_the_top_five(valid_build):
    text = valid_build["result"].stdout
    assert re.search(
        r"ccid_dcc_2022__city\s+7\s+6\s+1\s+1\s+深圳市 杭州市 雄安新区 景德镇市 锦州市", text
    ), text[-3000:]
    assert (
        "not scored: ccid_dcc_2022__city 张家界市 (cn_430800): coverage 0.236 of 0.500 required"
        in text
    )


def test_every_mistake_is_refused_on_the_console_with_file_line_and_column(tmp_path):
    live = tmp_path / "mine.duckdb"
    result = run(
        [sys.executable, "scripts/refresh.py", "run"],
        DCI_RAW_DATA_DIR=str(FIXTURES / "invalid"),
        DCI_DUCKDB_PATH=str(live),
        DCI_LOG_FILE=str(tmp_path / "refresh.log"),
    )
    text = output(result)
    assert result.returncode == EXIT_INPUT_REJECTED, text[-3000:]
    for message in (
        # the wrong-level unit, given by id and by name
        "ccid_dcc_2022__city.csv:3 unit: 昆山市 (cn_320583) is a county; "
        "ccid_dcc_2022__city takes city units",
        "ccid_dcc_2022__city.csv:4 unit: 昆山市 (cn_320583) is a county; "
        "ccid_dcc_2022__city takes city units",
        # the misspelt name, with its suggestion: by pinyin, with 县 dropped, characters swapped
        "ccid_dcc_2022__city.csv:5 unit: unknown unit 杭洲 (did you mean 杭州市 cn_330100?)",
        "ccid_dcc_2022__city.csv:6 unit: unknown unit 锦洲县 (did you mean 锦州市 cn_210700?)",
        "ccid_dcc_2022__city.csv:7 unit: unknown unit 州杭 (did you mean 杭州市 cn_330100?)",
        # the row from another framework's template
        'h3c_cddi_2022__city.csv:3 indicator: indicator "数字产业化驱动产业" '
        "is not p4_1_1 of h3c_cddi_2022__city",
        # a bad units.csv row
        'units.csv:2 unit_type: unit_type "park" is not one of',
    ):
        assert message in text, f"missing {message!r} in:\n{text[-4000:]}"
    assert "ccid_dcc_2022__city.csv:2" not in text  # the valid row is not reported
    assert not live.exists(), "nothing may be published from rejected input"


def test_a_var_override_builds_with_every_test_and_changes_what_is_scored(tmp_path, valid_build):
    database = tmp_path / "override.duckdb"
    result = run(
        [
            DBT,
            "build",
            "--quiet",
            "--vars",
            f"{{raw_data_dir: '{FIXTURES / 'valid'}', min_coverage: 0.2}}",
        ],
        DCI_DUCKDB_PATH=str(database),
    )
    assert result.returncode == 0, output(result)[-4000:]
    expected = reference_scores(
        FIXTURES / "valid" / f"{CCID}.csv",
        VALID_UNITS,
        framework_nodes(database, CCID),
        CCID,
        min_coverage=0.2,
    )
    zhangjiajie = index_scores(database)["cn_430800"]
    assert zhangjiajie["is_scored"]
    assert zhangjiajie["composite_score"] == pytest.approx(expected["cn_430800"]["root"], abs=1e-9)


# ------------------------------------------------------------------ the README walk-through
# The README's 32 units and their GB/T 2260 codes, written out by hand.
WALKTHROUGH_UNITS = {
    "锦州": "cn_210700",
    "景德镇": "cn_360200",
    "北京": "cn_110000",
    "上海": "cn_310000",
    "深圳": "cn_440300",
    "广州": "cn_440100",
    "杭州": "cn_330100",
    "成都": "cn_510100",
    "重庆": "cn_500000",
    "武汉": "cn_420100",
    "南京": "cn_320100",
    "苏州": "cn_320500",
    "天津": "cn_120000",
    "西安": "cn_610100",
    "长沙": "cn_430100",
    "郑州": "cn_410100",
    "青岛": "cn_370200",
    "合肥": "cn_340100",
    "宁波": "cn_330200",
    "济南": "cn_370100",
    "厦门": "cn_350200",
    "福州": "cn_350100",
    "无锡": "cn_320200",
    "东莞": "cn_441900",
    "佛山": "cn_440600",
    "沈阳": "cn_210100",
    "大连": "cn_210200",
    "昆明": "cn_530100",
    "南昌": "cn_360100",
    "贵阳": "cn_520100",
    "哈尔滨": "cn_230100",
    "石家庄": "cn_130100",
}
PROJECT_ITEMS = (
    "dbt_project.yml",
    "profiles.yml",
    "Makefile",
    "README.md",
    "pyproject.toml",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
    "data",
    "scripts",
)


def readme_own_data_commands(readme: Path) -> list[str]:
    """The bash commands of README's own-data section, in order, word for word."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("## Computing scores from your own indicator values", 1)[1].split(
        "\n## ", 1
    )[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def fill_values(template: Path) -> None:
    """What the team does by hand: a value in every row (deterministic, within the goalposts)."""
    with template.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    catalog = {
        row["node_code"]: row
        for row in csv.DictReader(
            (REPO / "seeds" / "catalog" / "indicator_catalog__h3c_dei_2021__city.csv").open(
                encoding="utf-8"
            )
        )
    }
    units = list(dict.fromkeys(row["unit"] for row in rows))
    for row in rows:
        leaf, i = catalog[row["node_code"]], units.index(row["unit"])
        j = list(catalog).index(row["node_code"])
        share = ((i * 37 + j * 11) % 97) / 96
        if leaf["value_type"] == "ordinal":
            value = 1 + (i + j) % int(float(leaf["ordinal_levels"]))
        elif leaf["value_type"] == "boolean":
            value = (i + j) % 2
        else:
            low = float(leaf["goalpost_low"] or leaf["plausible_min"])
            high = float(leaf["goalpost_high"] or leaf["plausible_max"])
            value = round(low + (high - low) * share, 3)
        row["value"] = str(value)
    with template.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_readme_walkthrough_word_for_word(tmp_path):
    """README's own-data section, its commands run as written in a copy of the project after
    `make run`, with values for 锦州, 景德镇 and 30 printed cities: builds and publishes."""
    built = Path(os.environ.get("DCI_DUCKDB_PATH", REPO / "target/test/digital_city_index.duckdb"))
    if not built.exists():
        pytest.skip(f"no built warehouse at {built} (run `make dbt-test` first)")
    project = tmp_path / "project"
    project.mkdir()
    for item in PROJECT_ITEMS:
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / item)
    for lock in REPO.glob("requirements*.lock"):
        shutil.copy2(lock, project / lock.name)
    (project / ".venv").symlink_to(REPO / ".venv")
    (project / "warehouse").mkdir()
    shutil.copy2(built, project / "warehouse" / "digital_city_index.duckdb")  # what `make run` left

    commands = readme_own_data_commands(project / "README.md")
    assert (
        len(commands) == 2
        and commands[0].startswith("make template")
        and commands[1].endswith("make refresh")
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DCI_")}
    env["DCI_LOG_FILE"] = str(tmp_path / "refresh.log")
    template = run_shell(commands[0], project, env)
    assert template.returncode == 0, output(template)
    raw_file = project / "data" / "raw" / "h3c_dei_2021__city.csv"
    fill_values(raw_file)
    refresh = run_shell(commands[1], project, env)
    assert refresh.returncode == 0, output(refresh)[-5000:]
    assert re.search(r"h3c_dei_2021__city\s+32\s+32\s+0\s+0\s", refresh.stdout), refresh.stdout[
        -3000:
    ]

    names = (
        next(word for word in shlex.split(commands[0]) if word.startswith("UNITS="))
        .removeprefix("UNITS=")
        .split()
    )
    assert sorted(names) == sorted(WALKTHROUGH_UNITS)
    live = project / "warehouse" / "mine.duckdb"
    expected = reference_scores(
        raw_file,
        WALKTHROUGH_UNITS,
        framework_nodes(live, "h3c_dei_2021__city"),
        "h3c_dei_2021__city",
    )
    computed = index_scores(live)
    assert len(computed) == 32
    for unit_id, scores in expected.items():
        assert computed[unit_id]["composite_score"] == pytest.approx(scores["root"], abs=1e-9), (
            unit_id
        )


def run_shell(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
