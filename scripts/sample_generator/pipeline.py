"""The generator's steps in order, one framework at a time (see the package docstring)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .inputs import Framework, load_inputs
from .leaf_scores import calibrate_leaves
from .output import render_csv, render_readme
from .pillar_scores import calibrate_pillars
from .raw_values import decimals_for_unit, rounded_raw_values, written_values
from .settings import FRAMEWORKS, SEED
from .targets import composite_targets, printed_node_lists
from .verification import Report, verify

# A framework whose report has no transcribed ranking table yet (a new edition started with
# `make new-framework`) gets no sample file: the sample reproduces printed figures; it has none.
NO_PRINTED_UNITS = (
    "no sample values: no printed ranking table names a unit of this framework yet "
    "(transcribe the report's tables, or bring your own values: make template)"
)


@dataclass
class Generated:
    scores: np.ndarray  # units x leaves
    raw: list[list[str]]  # formatted raw values
    notes: list[list[str]]
    plan_notes: list[str]


def generate_framework(fw: Framework, decimals: dict[str, int]) -> Generated:
    rng = np.random.default_rng([SEED, zlib.crc32(fw.fid.encode())])
    plan: list[str] = []
    node_lists = printed_node_lists(fw)
    composite = composite_targets(fw, node_lists, rng, plan)
    pillars = calibrate_pillars(fw, composite, node_lists, rng, plan)
    leaves = calibrate_leaves(fw, composite, pillars, rng)
    values = rounded_raw_values(fw, leaves, decimals)
    raw, notes = written_values(fw, values, leaves.scores, decimals, rng)
    return Generated(leaves.scores, raw, notes, plan)


def build_all(
    warehouse: Path, catalog_dir: Path
) -> tuple[dict[str, str], dict[str, Report], dict[str, list[str]]]:
    """Every file of data/sample/ (name -> text), the verification reports and plan notes."""
    frameworks = load_inputs(warehouse, catalog_dir)
    decimals = decimals_for_unit([fw.catalog for fw in frameworks.values()])
    files, reports, plans = {}, {}, {}
    for fid in FRAMEWORKS:
        fw = frameworks[fid]
        if not fw.units:  # no printed ranking table names a unit: nothing to calibrate to
            plans[fid] = [NO_PRINTED_UNITS]
            continue
        generated = generate_framework(fw, decimals)
        text = render_csv(fw.units, fw.leaves, generated.raw, generated.notes)
        files[f"{fid}.csv"] = text
        reports[fid] = verify(fw, text)
        plans[fid] = generated.plan_notes
    files["README.md"] = render_readme(reports, plans, decimals)
    return files, reports, plans
