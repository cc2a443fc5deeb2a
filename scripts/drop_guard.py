"""The drop guard: nothing already published disappears because an input went missing.

Before a candidate replaces the live warehouse, the units each framework scores (computed
composite) in the live file are compared with the candidate's. The refresh is refused (exit 10)
when a framework would vanish, or would lose more than DCI_MAX_UNIT_LOSS (default 0.10) of its
units, unless the operator allows it:

* `--allow-drop FRAMEWORK` (repeatable; `all` for every framework), or `make refresh
  ALLOW_DROP=a,b`: that framework may vanish or shrink;
* a `manifest.txt` in the raw folder lists the frameworks the folder provides: a live framework
  it does not list is retired on purpose and may vanish (shrinking still needs --allow-drop).

A first build into an empty location (no live file) loses nothing.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb

UNITS_QUERY = """
    select scores.framework_id, scores.unit_id, coalesce(units.name_zh, scores.unit_id)
    from marts.fct_index_scores as scores
    left join marts.dim_geo_units as units on scores.unit_id = units.unit_id
    where scores.composite_score is not null
"""


def max_unit_loss() -> float:
    return float(os.environ.get("DCI_MAX_UNIT_LOSS", "0.10"))


def scored_units(warehouse: Path) -> dict[str, dict[str, str]]:
    """framework_id → {unit_id: name_zh} of every unit with a computed composite."""
    units: dict[str, dict[str, str]] = {}
    with contextlib.closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        for framework_id, unit_id, name in con.execute(UNITS_QUERY).fetchall():
            units.setdefault(framework_id, {})[unit_id] = name
    return units


def allowed(
    framework_id: str, allow_drop: list[str], manifest: list[str] | None, vanishing: bool
) -> bool:
    if "all" in allow_drop or framework_id in allow_drop:
        return True
    return vanishing and manifest is not None and framework_id not in manifest


def losses(
    live: dict, candidate: dict, allow_drop: list[str], manifest: list[str] | None
) -> tuple[list[str], list[str]]:
    """(refusals, allowed losses): one message per framework that would vanish or shrink."""
    refusals, accepted = [], []
    share_limit = max_unit_loss()
    for framework_id, units in sorted(live.items()):
        kept = candidate.get(framework_id, {})
        lost = sorted(set(units) - set(kept))
        if not lost:
            continue
        vanishing = not kept
        if vanishing:
            message = f"framework {framework_id} would vanish ({len(units)} units published now)"
        elif len(lost) / len(units) > share_limit:
            names = ", ".join(f"{units[unit]} ({unit})" for unit in lost[:10]) + (
                ", …" if len(lost) > 10 else ""
            )
            message = (
                f"framework {framework_id} would lose {len(lost)} of {len(units)} units "
                f"({len(lost) / len(units):.0%} > {share_limit:.0%}): {names}"
            )
        else:
            continue
        (accepted if allowed(framework_id, allow_drop, manifest, vanishing) else refusals).append(
            message
        )
    return refusals, accepted


def missing_framework_files(
    live: Path, provided: list[str], allow_drop: list[str], manifest: list[str] | None
) -> list[str]:
    """Before any build: live frameworks whose raw file is absent (the guard's cheap early form)."""
    if not live.exists():
        return []
    return [
        f"{framework_id}.csv is missing from the raw folder: framework {framework_id} "
        f"({len(units)} units published now) would vanish"
        for framework_id, units in sorted(scored_units(live).items())
        if framework_id not in provided
        and not allowed(framework_id, allow_drop, manifest, vanishing=True)
    ]
