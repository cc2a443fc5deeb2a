"""Writing the sample: the CSV files, data/sample/README.md with the calibration report, and the
--check comparison with the committed files."""

from __future__ import annotations

from pathlib import Path

from .settings import CSV_HEADER, SEED, WINDOW_HI, WINDOW_LO


def render_csv(
    units: list[str], leaves: list[str], raw: list[list[str]], notes: list[list[str]]
) -> str:
    lines = [CSV_HEADER]
    for u, unit in enumerate(units):
        for i, leaf in enumerate(leaves):
            lines.append(f"{unit},{leaf},{raw[u][i]},{notes[u][i]},synthetic")
    return "\n".join(lines) + "\n"


def report_text(reports: dict, plans: dict[str, list[str]]) -> str:
    out = []
    for fid in [fid for fid in plans if fid not in reports]:  # frameworks with no sample file
        out.append(f"### {fid}")
        out += [f"  {p}" for p in plans[fid]]
    for fid, report in reports.items():
        out.append(f"### {fid}")
        out.append(
            "  "
            + ", ".join(
                f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}"
                for k, v in report.summary.items()
            )
        )
        out += [f"  plan: {p}" for p in plans.get(fid, [])]
        out += report.lines
        out += [f"  unmet (excused): {e}" for e in report.excused]
        out += [f"  FAILED: {f}" for f in report.failures]
    return "\n".join(out)


def render_readme(reports: dict, plans: dict[str, list[str]], decimals: dict[str, int]) -> str:
    dec = ", ".join(f"`{u}` {d}" for u, d in decimals.items())
    return f"""# data/sample — SYNTHETIC raw indicator values

**Everything in this folder is synthetic.** The reports publish composite scores, ranks, tiers
and pillar averages, never raw indicator values. These files are invented values, one per
evaluated unit × leaf indicator, in the units of the indicator catalog
(`seeds/catalog/indicator_catalog__<framework_id>.csv`); every row has `provenance = synthetic`.
They are NOT measurements of any city. Use them to exercise the engine, not to analyse cities.

## What they are calibrated to

Computed with the engine of `docs/engine.md` (Python twin: `scripts/reference_engine.py`), the
values reproduce what the reports publish:

- H3C frameworks: every published score (composite rounded half-up to 1 decimal; the composite
  lies in [score + {WINDOW_LO}, score + {WINDOW_HI}], tied scores spread in printed-rank order),
  therefore the published ranks and tiers; the printed level-1 pillar averages within ±0.05
  (and printed lower-level averages where given);
- CCID 2022 (ranks only): composites strictly decreasing in the top-100 rank and below it for the
  other evaluated units; each printed pillar / indicator rank list in printed-rank order and
  above every unlisted unit;
- every node score within [0, 100]; values correlated within a unit (unit level + pillar and
  sub-pillar deviations + indicator noise).

Evaluated units of a framework = the unit_ids in its ranking tables (`marts.fct_published_results`).
Targets the reports make contradictory (recorded in `marts.fct_source_discrepancies`) keep the
printed score and let the rank / tier / average follow; they are listed below.

## Regenerate / check

    .venv/bin/python scripts/generate_sample.py [--warehouse target/reference/digital_city_index.duckdb]
    .venv/bin/python scripts/generate_sample.py --check   # exit 1 if these files differ

Deterministic: `numpy.random.default_rng([{SEED}, crc32(framework_id)])` (seed {SEED}); no
dependence on time or dict/set ordering. Raw values are written with a fixed number of decimals
per catalog unit ({dec}). Leaves are rounded one at a time, coarsest score step first, and the
not-yet-rounded leaves of each unit re-absorb the rounding, so the rounded values still put every
composite inside its target window; the report below is computed on the written, re-parsed files.
Scores pinned at 0 or 100 by a goalpost are sometimes written beyond the goalpost (note
`beyond goalpost (clips)`); the engine clips them back.

## Calibration report

```
{report_text(reports, plans)}
```
"""  # noqa: E501 (the README's regenerate command is one line, as committed)


def stale_files(out_dir: Path, files: dict[str, str]) -> list[str]:
    """How the committed files differ from `files` (empty when up to date)."""
    diffs = []
    for name, text in files.items():
        path = out_dir / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        if old is None:
            diffs.append(f"{name}: missing")
            continue
        a, b = old.splitlines(), text.splitlines()
        n_differing = sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))
        diffs.append(f"{name}: {n_differing} differing rows")
    if out_dir.is_dir():
        diffs += [
            f"{path.name}: not produced by the generator"
            for path in sorted(out_dir.iterdir())
            if path.is_file() and path.name not in files
        ]
    return diffs


def write_files(out_dir: Path, files: dict[str, str]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
