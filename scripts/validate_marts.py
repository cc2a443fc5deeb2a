"""Validate the marts of a built warehouse with great-expectations (GX Core) and write Data Docs.

Usage: python scripts/validate_marts.py --warehouse PATH [--docs-dir DIR]

Contract (docs/operations.md): opens the DuckDB file at PATH read-only, runs one expectation suite
per mart, writes Data Docs (HTML) to DIR (default target/gx/data_docs), prints one summary line per
suite and one line per failed expectation, and exits 0 when every expectation passes, 1 when any
fails, 2 on an internal error (no warehouse, a mart missing, GX not installed, ...).

How it uses GX: a file-less (ephemeral) context; a pandas datasource with one dataframe asset per
mart, fed from a DuckDB query; one expectation suite and one validation definition per mart; a
Checkpoint per mart runs its validation definition and updates the Data Docs site. (A Checkpoint
passes the same batch parameters to every validation definition it holds, and a dataframe asset
takes its dataframe as a batch parameter, so one Checkpoint cannot feed six different marts.)

The expectations are the table in `expectations()`. Some are read from the warehouse itself: the
root tier codes of marts.dim_tier_rules and each framework's published unit count.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no network; must precede the GX import

DEFAULT_DOCS_DIR = "target/gx/data_docs"
TOLERANCE = 0.05
# score_difference is a difference of decimals held as doubles (e.g. 65.1 - 65.05): allow for
# the representation error so that a difference of exactly 0.05 passes.
FLOAT_SLACK = 1e-9

EXIT_PASSED, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


# --------------------------------------------------------------------------------------------
# What is validated: one query per mart (the dataframe GX sees) and the expectations on it.
# --------------------------------------------------------------------------------------------

MART_QUERIES = {
    "fct_index_scores": """
        select
            scores.*,
            -- a unit a report contradicts itself about (fct_source_discrepancies) is exempt
            -- from the score reconciliation
            exists (
                select 1 from marts.fct_source_discrepancies as discrepancies
                where discrepancies.framework_id = scores.framework_id
                  and discrepancies.subject in (scores.unit_id, scores.name_as_printed)
            ) as has_recorded_discrepancy
        from marts.fct_index_scores as scores
        order by scores.index_score_id
    """,
    "fct_node_scores": "select * from marts.fct_node_scores order by node_score_id",
    "fct_indicator_scores": "select * from marts.fct_indicator_scores order by indicator_score_id",
    "fct_published_results": (
        "select * from marts.fct_published_results order by table_id, row_order"
    ),
    "fct_cluster_scores": "select * from marts.fct_cluster_scores order by edition_cluster_id",
    "dim_geo_units": "select * from marts.dim_geo_units order by unit_id",
}

ROOT_TIER_CODES = """
    select distinct tier_code from marts.dim_tier_rules where node_code = 'root' order by tier_code
"""
FRAMEWORKS_WITHOUT_ROOT_TIERS = """
    select framework_id from marts.dim_frameworks
    where framework_id not in (
        select framework_id from marts.dim_tier_rules where node_code = 'root'
    )
    order by framework_id
"""
PUBLISHED_UNIT_COUNTS = """
    select frameworks.framework_id, frameworks.n_units_ranked
    from marts.dim_frameworks as frameworks
    -- A framework no report prints a ranking for (a new edition) has no count to reproduce.
    where frameworks.n_units_ranked > 0 and exists (
        select 1 from marts.fct_index_scores as scores
        where scores.framework_id = frameworks.framework_id and scores.is_synthetic
    )
    order by frameworks.framework_id
"""

# The pillar columns of fct_index_scores: as many as the framework with the most pillars.
PILLAR_SCORES_QUERY = """
    select column_name from information_schema.columns
    where table_schema = 'marts' and table_name = 'fct_index_scores'
        and regexp_full_match(column_name, 'p[0-9]+_score')
    order by ordinal_position
"""


def where(condition: str) -> dict:
    """Restrict an expectation to the rows matching a pandas query condition."""
    return {"row_condition": condition, "condition_parser": "pandas"}


def expectations(con, gxe) -> dict[str, list]:
    """mart -> its expectations.

    Each can fail: tests/python/test_validate_marts.py breaks each one.
    """
    root_tier_codes = [row[0] for row in con.execute(ROOT_TIER_CODES).fetchall()]
    untiered = [row[0] for row in con.execute(FRAMEWORKS_WITHOUT_ROOT_TIERS).fetchall()]
    unit_counts = con.execute(PUBLISHED_UNIT_COUNTS).fetchall()
    pillar_scores = [row[0] for row in con.execute(PILLAR_SCORES_QUERY).fetchall()]
    in_range = {"min_value": 0, "max_value": 100}
    within_tolerance = {"min_value": -TOLERANCE - FLOAT_SLACK, "max_value": TOLERANCE + FLOAT_SLACK}

    return {
        "fct_index_scores": [
            gxe.ExpectColumnValuesToBeUnique(column="index_score_id"),
            *[
                gxe.ExpectColumnValuesToBeBetween(column=column, **in_range)
                for column in ["composite_score", *pillar_scores]
            ],
            gxe.ExpectColumnValuesToBeBetween(column="composite_rank", min_value=1),
            gxe.ExpectColumnValuesToNotBeNull(
                column="composite_score",
                **where("is_synthetic == True and published_rank.notnull()"),
                description="a ranked unit of the synthetic sample has a composite score",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="tier_code",
                value_set=root_tier_codes,
                description="tier codes are root tier codes of dim_tier_rules",
            ),
            *(
                [
                    gxe.ExpectColumnValuesToBeNull(
                        column="tier_code",
                        **where(f"framework_id.isin({json.dumps(untiered)})"),
                        description="frameworks without root tier rules have no tier",
                    )
                ]
                if untiered
                else []
            ),
            *[
                gxe.ExpectTableRowCountToEqual(
                    value=n_units,
                    **where(f"framework_id == {json.dumps(framework_id)}"),
                    description="one row per published unit (dim_frameworks.n_units_ranked)",
                )
                for framework_id, n_units in unit_counts
            ],
            gxe.ExpectColumnValuesToBeBetween(
                column="score_difference",
                **within_tolerance,
                **where("is_synthetic == True and has_recorded_discrepancy == False"),
                description="synthetic rows reproduce the published score within ±0.05",
            ),
        ],
        "fct_node_scores": [
            gxe.ExpectColumnValuesToBeUnique(column="node_score_id"),
            gxe.ExpectColumnValuesToBeBetween(column="score_0_100", **in_range),
        ],
        "fct_indicator_scores": [
            gxe.ExpectColumnValuesToBeUnique(column="indicator_score_id"),
            gxe.ExpectColumnValuesToBeBetween(column="score_0_100", **in_range),
        ],
        "fct_published_results": [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["table_id", "row_order"]),
        ],
        "fct_cluster_scores": [
            gxe.ExpectColumnValuesToBeBetween(
                column="weighted_score_difference",
                **within_tolerance,
                **where('is_synthetic == True and edition_id == "h3c_dei_2021"'),
                description="h3c_dei_2021 cluster weighted scores within ±0.05 of the printed ones",
            ),
        ],
        "dim_geo_units": [
            gxe.ExpectColumnValuesToBeUnique(column="unit_id"),
        ],
    }


# --------------------------------------------------------------------------------------------
# GX plumbing
# --------------------------------------------------------------------------------------------


@dataclass
class SuiteResult:
    mart: str
    n_rows: int
    n_expectations: int
    failures: list[str]


def make_context(gx, docs_dir: Path):
    """A file-less context: no analytics, no progress bars, one Data Docs site at docs_dir."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            "marts": {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def validate_mart(gx, context, datasource, mart: str, dataframe, suite_expectations) -> SuiteResult:
    batch_definition = datasource.add_dataframe_asset(
        name=mart
    ).add_batch_definition_whole_dataframe("whole_table")
    suite = context.suites.add(gx.ExpectationSuite(name=mart))
    for expectation in suite_expectations:
        suite.add_expectation(expectation)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=mart, data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"validate_marts__{mart}",
            validation_definitions=[validation],
            actions=[
                gx.checkpoint.UpdateDataDocsAction(name="update_data_docs", site_names=["marts"])
            ],
        )
    )
    run = checkpoint.run(batch_parameters={"dataframe": dataframe})
    results = [result for suite_run in run.run_results.values() for result in suite_run.results]
    failures = [describe_failure(result) for result in results if not result.success]
    return SuiteResult(mart, len(dataframe), len(results), failures)


def describe_failure(result) -> str:
    """expectation_type(arguments) where <row condition> [description]: what was observed."""
    config = result.expectation_config
    arguments = {
        key: value
        for key, value in config.kwargs.items()
        if key not in ("batch_id", "condition_parser", "row_condition", "value_set")
    }
    condition = config.kwargs.get("row_condition")
    if isinstance(condition, dict):  # GX wraps a plain string condition
        condition = condition.get("pass_through_filter")
    text = (
        config.type + "(" + ", ".join(f"{key}={value!r}" for key, value in arguments.items()) + ")"
    )
    if condition:
        text += f" where {condition}"
    if config.description:
        text += f" [{config.description}]"
    return f"{text}: {observed(result)}"


def observed(result) -> str:
    info = result.exception_info or {}
    # either {"raised_exception": ..., "exception_message": ...} or that dict per failing metric
    for exception in [info, *[value for value in info.values() if isinstance(value, dict)]]:
        if exception.get("raised_exception"):
            return "error: " + (str(exception.get("exception_message")).splitlines() or [""])[0]
    details = result.result or {}
    if "unexpected_count" in details:
        sample = details.get("partial_unexpected_list") or []
        return (
            f"{details['unexpected_count']} of {details.get('element_count')} rows unexpected, "
            f"e.g. {sample[:5]}"
        )
    return f"observed {details.get('observed_value')!r}"


def run(warehouse: Path, docs_dir: Path) -> list[SuiteResult]:
    import duckdb
    import great_expectations as gx
    import great_expectations.expectations as gxe

    docs_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        table = expectations(con, gxe)
        dataframes = {mart: con.execute(query).df() for mart, query in MART_QUERIES.items()}
    finally:
        con.close()
    context = make_context(gx, docs_dir)
    datasource = context.data_sources.add_pandas(name="warehouse_marts")
    return [
        validate_mart(gx, context, datasource, mart, dataframes[mart], table[mart])
        for mart in MART_QUERIES
    ]


def report(results: list[SuiteResult], docs_dir: Path, seconds: float) -> None:
    for suite in results:
        n_passed = suite.n_expectations - len(suite.failures)
        print(
            f"{suite.mart:<22} {n_passed}/{suite.n_expectations} expectations passed "
            f"({suite.n_rows} rows)"
        )
        for failure in suite.failures:
            print(f"  FAILED {suite.mart}: {failure}")
    n_failed = sum(len(suite.failures) for suite in results)
    n_total = sum(suite.n_expectations for suite in results)
    print(
        f"great-expectations: {len(results)} suites, {n_total - n_failed}/{n_total} expectations "
        f"passed in {seconds:.1f}s; Data Docs: {docs_dir / 'index.html'}"
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse", required=True, type=Path, help="DuckDB file (opened read-only)"
    )
    parser.add_argument(
        "--docs-dir", default=DEFAULT_DOCS_DIR, type=Path, help="Data Docs output directory"
    )
    return parser.parse_args(argv)  # a usage error exits 2


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if not args.warehouse.is_file():
        print(f"validate_marts: no warehouse at {args.warehouse}", file=sys.stderr)
        return EXIT_ERROR
    started = time.monotonic()
    try:
        results = run(args.warehouse, args.docs_dir)
    except Exception as error:  # anything but a failed expectation is an internal error
        print(f"validate_marts: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR
    report(results, args.docs_dir, time.monotonic() - started)
    return EXIT_FAILED if any(suite.failures for suite in results) else EXIT_PASSED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
