"""Write N SYNTHETIC units and their raw indicator values, for scale tests: `make scale-sample`.

Writes, into one folder (a raw-data folder the build reads with `var('raw_data_dir')`):
- `units.csv`: N user-declared units per the own-data contract (docs/engine.md §1) — ids
  `syn_000001`…, names 合成单位000001 / "Synthetic unit 000001 (synthetic)", a province and a
  point in China — because they are invented, not gazetteer units;
- `<framework_id>.csv`: one row per unit × leaf of the framework's catalog, given by unit_id,
  `provenance = synthetic`; a cell is missing (no row) with probability `--missing-share`;
- `README.md`: says all of it is synthetic and how it was made.

Values are plausible and correlated like real indicators: each unit has a development level,
each pillar of the unit a deviation from it, each cell noise (variances 1, 0.25, 0.36), and the
sum is mapped through the normal CDF into the leaf's range — a little beyond its goalposts on
either side (so some scores clip), inside its plausible range, reversed for direction −1, ordinal
leaves on their 1..K levels and yes/no leaves as 0/1. Seeded: the same arguments write the same
bytes. Nothing here is a measurement of any place.

Usage: python scripts/scale_sample.py --units 20000 [--framework h3c_cddi_2022__city]
       [--seed 20221231] [--missing-share 0.05] [--out data/scale]
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
CATALOG_DIR = REPO / "seeds" / "catalog"
FRAMEWORKS = REPO / "seeds" / "reference" / "frameworks.csv"
PROVINCES = REPO / "seeds" / "geography" / "geo_units.csv"
DEFAULT_FRAMEWORK = "h3c_cddi_2022__city"
# The unit_type a declared unit gets at each framework level (docs/engine.md §1, units.csv).
UNIT_TYPE_OF_LEVEL = {
    "city": "prefecture_city",
    "district": "district",
    "county": "county",
    "zone": "zone",
}
# Variances of the unit level, the unit's pillar deviation and the cell noise.
LEVEL_SD, PILLAR_SD, NOISE_SD = 1.0, 0.5, 0.6
# Share of a leaf's goalpost range added on each side (values beyond a goalpost clip to 0 / 100).
OVERSHOOT = 0.1


def catalog(framework_id: str) -> pd.DataFrame:
    path = CATALOG_DIR / f"indicator_catalog__{framework_id}.csv"
    if not path.exists():
        known = sorted(
            p.stem.removeprefix("indicator_catalog__") for p in CATALOG_DIR.glob("*.csv")
        )
        raise SystemExit(f"unknown framework {framework_id}; one of: {', '.join(known)}")
    return pd.read_csv(path, dtype={"node_code": str})


def unit_level(framework_id: str) -> str:
    frameworks = pd.read_csv(FRAMEWORKS).set_index("framework_id")
    return frameworks.loc[framework_id, "unit_levels"].split(";")[0]


def provinces() -> pd.DataFrame:
    geo = pd.read_csv(PROVINCES, dtype=str)
    geo = geo[geo["unit_type"].isin(["province", "municipality"])]
    return geo[["name_zh", "longitude", "latitude"]].astype({"longitude": float, "latitude": float})


def write_units(out: Path, n_units: int, level: str, rng: np.random.Generator) -> list[str]:
    ids = [f"syn_{i:06d}" for i in range(1, n_units + 1)]
    seats = provinces()
    home = seats.iloc[rng.integers(0, len(seats), n_units)]
    # A point near the province's seat, kept within the contract's box for China.
    longitude = np.clip(home["longitude"].to_numpy() + rng.normal(0, 1.0, n_units), 73.5, 135.0)
    latitude = np.clip(home["latitude"].to_numpy() + rng.normal(0, 0.8, n_units), 18.5, 53.0)
    units = pd.DataFrame(
        {
            "unit_id": ids,
            "unit_type": UNIT_TYPE_OF_LEVEL[level],
            "name_zh": [f"合成单位{i:06d}" for i in range(1, n_units + 1)],
            "name_en": [f"Synthetic unit {i:06d} (synthetic)" for i in range(1, n_units + 1)],
            "province_zh": home["name_zh"].to_numpy(),
            "longitude": np.round(longitude, 4),
            "latitude": np.round(latitude, 4),
        }
    )
    units.to_csv(out / "units.csv", index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return ids


def leaf_values(leaves: pd.DataFrame, latent: np.ndarray) -> np.ndarray:
    """Latent standard scores (units × leaves) → values in each leaf's unit, column by column."""
    uniform = 0.5 * (1.0 + _erf(latent / math.sqrt(2.0)))
    values = np.empty_like(uniform)
    for j, leaf in enumerate(leaves.itertuples()):
        u = uniform[:, j] if leaf.direction == 1 else 1.0 - uniform[:, j]
        if leaf.value_type == "boolean":
            values[:, j] = (u > 0.5).astype(float)
        elif leaf.value_type == "ordinal":
            levels = int(leaf.ordinal_levels)
            values[:, j] = np.minimum(np.floor(u * levels) + 1, levels)
        else:
            low = leaf.goalpost_low if not pd.isna(leaf.goalpost_low) else leaf.plausible_min
            high = leaf.goalpost_high if not pd.isna(leaf.goalpost_high) else leaf.plausible_max
            span = high - low
            x = low - OVERSHOOT * span + (1 + 2 * OVERSHOOT) * span * u
            values[:, j] = np.round(np.clip(x, leaf.plausible_min, leaf.plausible_max), 2)
    return values


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): plenty for synthetic values, no SciPy needed.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-x * x))


def generate(
    out: Path, n_units: int, framework_id: str, seed: int, missing_share: float
) -> dict[str, int]:
    if n_units < 1:
        raise SystemExit("--units must be at least 1")
    if not 0 <= missing_share < 1:
        raise SystemExit("--missing-share must be in [0, 1)")
    leaves = catalog(framework_id)
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    ids = write_units(out, n_units, unit_level(framework_id), rng)

    pillar_of_leaf = leaves["node_code"].str.extract(r"^(p\d+)")[0]
    pillars = sorted(pillar_of_leaf.unique())
    pillar_index = pillar_of_leaf.map({p: i for i, p in enumerate(pillars)}).to_numpy()
    level = rng.normal(0, LEVEL_SD, (n_units, 1))
    pillar = rng.normal(0, PILLAR_SD, (n_units, len(pillars)))[:, pillar_index]
    noise = rng.normal(0, NOISE_SD, (n_units, len(leaves)))
    total_sd = math.sqrt(LEVEL_SD**2 + PILLAR_SD**2 + NOISE_SD**2)
    values = leaf_values(leaves, (level + pillar + noise) / total_sd)
    present = rng.random(values.shape) >= missing_share

    rows = pd.DataFrame(
        {
            "unit": np.repeat(np.array(ids, dtype=object), len(leaves)),
            "node_code": np.tile(leaves["node_code"].to_numpy(dtype=object), n_units),
            "value": values.ravel(),
        }
    )[present.ravel()]
    con = duckdb.connect()
    con.register("rows", rows)
    # DuckDB writes 10⁷ rows in seconds, in this order, doubles in their shortest form (38.32).
    con.execute(
        f"copy (select unit, node_code, value, 'synthetic' as provenance from rows) "
        f"to '{out / (framework_id + '.csv')}' (header, delimiter ',')"
    )
    con.close()
    (out / "README.md").write_text(
        f"# SYNTHETIC scale sample — not data about any place\n\n"
        f"Written by `scripts/scale_sample.py --units {n_units} --framework {framework_id} "
        f"--seed {seed} --missing-share {missing_share}`: {n_units} invented units "
        f"(`units.csv`, ids syn_…, names 合成单位…) and {int(present.sum())} invented values "
        f"of {framework_id} (`provenance = synthetic`). Used to measure the engine at scale "
        f"(`make bench`); never analyse them.\n",
        encoding="utf-8",
    )
    return {"units": n_units, "leaves": len(leaves), "values": int(present.sum())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, required=True, help="number of synthetic units")
    parser.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    parser.add_argument("--seed", type=int, default=20221231)
    parser.add_argument("--missing-share", type=float, default=0.05)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "scale")
    args = parser.parse_args()
    counts = generate(args.out, args.units, args.framework, args.seed, args.missing_share)
    print(
        f"{args.out}: {counts['units']} synthetic units × {counts['leaves']} leaves of "
        f"{args.framework}, {counts['values']} values (missing share {args.missing_share})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
