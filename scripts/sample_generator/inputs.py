"""Reading the reference warehouse and the indicator catalogs into one Framework per id."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .settings import FRAMEWORKS

# What the generator reads from the reference warehouse's marts (one query per table).
REFERENCE_QUERIES = {
    "frameworks": "select framework_id, scores_published from marts.dim_frameworks",
    "nodes": (
        "select framework_id, node_code, parent_code, level, weight, node_position, is_leaf "
        "from marts.dim_framework_nodes order by framework_id, node_position"
    ),
    "results": (
        "select framework_id, table_id, unit_level, unit_id, name_as_printed, row_order, "
        "published_rank, cast(published_score as double) published_score, published_tier "
        "from marts.fct_published_results order by table_id, published_rank, row_order"
    ),
    "tables": "select * from marts.dim_ranking_tables order by table_id",
    "aggregates": (
        "select framework_id, metric, subject_type, subject, cast(value as double) value "
        "from marts.fct_published_aggregates where metric in ('mean_score', 'unit_count') "
        "order by framework_id, subject_type, subject"
    ),
    "tier_rules": (
        "select framework_id, coalesce(node_code, 'root') node_code, tier_code, "
        "cast(min_score_inclusive as double) min_score_inclusive, "
        "cast(max_score_exclusive as double) max_score_exclusive "
        "from marts.dim_tier_rules order by framework_id, tier_code"
    ),
    "discrepancies": (
        "select framework_id, table_id, check_name, subject from marts.fct_source_discrepancies "
        "order by framework_id, discrepancy_id"
    ),
}


@dataclass
class Framework:
    fid: str
    scores_published: bool  # the reports print scores (else ranks only): dim_frameworks
    nodes: pd.DataFrame  # node_code, parent_code, level, weight, node_position, is_leaf
    catalog: pd.DataFrame  # one row per leaf, tree order
    results: pd.DataFrame  # published rows of the framework
    tables: pd.DataFrame
    aggregates: pd.DataFrame
    tier_rules: list[dict]
    discrepancies: pd.DataFrame
    units: list[str] = field(default_factory=list)
    leaves: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)
    ew: np.ndarray | None = None  # effective weight of each leaf (sum 1)
    node_vec: dict[str, np.ndarray] = field(default_factory=dict)  # node -> relative leaf weights


def load_inputs(warehouse: Path, catalog_dir: Path) -> dict[str, Framework]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        reference = {name: con.sql(sql).df() for name, sql in REFERENCE_QUERIES.items()}
    finally:
        con.close()
    return {fid: framework_from(reference, fid, catalog_dir) for fid in FRAMEWORKS}


def framework_from(reference: dict[str, pd.DataFrame], fid: str, catalog_dir: Path) -> Framework:
    def rows_of(name: str) -> pd.DataFrame:
        table = reference[name]
        return table[table.framework_id == fid].reset_index(drop=True)

    catalog_path = catalog_dir / f"indicator_catalog__{fid}.csv"
    if not catalog_path.exists():
        raise SystemExit(f"missing indicator catalog {catalog_path}")
    flags = rows_of("frameworks")
    if len(flags) != 1:
        raise SystemExit(f"{fid}: not in marts.dim_frameworks of the reference warehouse")
    fw = Framework(
        fid=fid,
        scores_published=bool(flags.scores_published.iloc[0]),
        nodes=rows_of("nodes"),
        catalog=pd.read_csv(catalog_path, dtype={"node_code": str}),
        results=rows_of("results"),
        tables=rows_of("tables"),
        aggregates=rows_of("aggregates"),
        tier_rules=[
            r for r in rows_of("tier_rules").to_dict("records") if r["node_code"] == "root"
        ],
        discrepancies=rows_of("discrepancies"),
    )
    attach_tree(fw)
    return fw


def attach_tree(fw: Framework) -> None:
    """Leaves, pillars, units, catalog in tree order and each node's relative leaf weights."""
    nodes = fw.nodes
    fw.leaves = list(nodes[nodes.is_leaf].node_code)
    fw.pillars = list(nodes[nodes.level == 1].node_code)
    catalog_leaves = list(fw.catalog.node_code)
    missing = [leaf for leaf in fw.leaves if leaf not in set(catalog_leaves)]
    extra = [leaf for leaf in catalog_leaves if leaf not in set(fw.leaves)]
    if missing or extra:
        raise SystemExit(f"{fw.fid}: catalog/tree mismatch; missing {missing}, not leaves {extra}")
    fw.catalog = fw.catalog.set_index("node_code").loc[fw.leaves].reset_index()
    parent = dict(zip(nodes.node_code, nodes.parent_code, strict=True))
    weight = dict(zip(nodes.node_code, nodes.weight.astype(float), strict=True))
    share = leaf_share_function(parent, weight)
    ancestors = {leaf: ancestors_of(leaf, parent) for leaf in fw.leaves}
    for node in nodes.node_code:
        fw.node_vec[node] = np.array(
            [share(leaf, node) if node in ancestors[leaf] else 0.0 for leaf in fw.leaves]
        )
    fw.ew = fw.node_vec["root"]
    fw.units = sorted(set(fw.results.unit_id.dropna()))


def leaf_share_function(parent: dict, weight: dict[str, float]):
    """share(leaf, ancestor): the leaf's share in the ancestor's score (product of the weights
    relative to their siblings on the way up)."""
    sibling_sum: dict[str, float] = {}
    for child, parent_code in parent.items():
        if isinstance(parent_code, str):
            sibling_sum[parent_code] = sibling_sum.get(parent_code, 0.0) + weight[child]

    def share(code: str, ancestor: str) -> float:
        w = 1.0
        while code != ancestor:
            parent_code = parent[code]
            w *= weight[code] / sibling_sum[parent_code]
            code = parent_code
        return w

    return share


def ancestors_of(code: str, parent: dict) -> list[str]:
    """The node itself and every ancestor up to the root."""
    chain = [code]
    while isinstance(parent[chain[-1]], str):
        chain.append(parent[chain[-1]])
    return chain
