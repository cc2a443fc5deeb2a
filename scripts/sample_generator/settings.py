"""Fixed parameters of the generator (changing any of them changes the committed sample)."""

from __future__ import annotations

import csv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = 20221124  # fixed, documented in data/sample/README.md
# The frameworks, in the order seeds/reference/frameworks.csv lists them (the sample's RNG order;
# the dbt project derives its list from the tree macros, macros/frameworks/frameworks_defined.sql).
with (REPO / "seeds" / "reference" / "frameworks.csv").open(encoding="utf-8", newline="") as _rows:
    FRAMEWORKS = [row["framework_id"] for row in csv.DictReader(_rows)]
CSV_HEADER = "unit,node_code,value,note,provenance"
WINDOW_LO, WINDOW_HI = 0.005, 0.045  # composite - published score, inside [0, 0.05)
SIGMA_PILLAR = 7.0  # pillar deviation from the composite (score points)
SIGMA_SUB = 5.0  # level-2 deviation from the pillar
SIGMA_LEAF = 9.0  # indicator noise
LIST_GAP = 0.25  # gap between consecutive scores of a printed rank list (CCID)
MEAN_TOLERANCE = 0.05  # a printed average is reproduced within this (score points)
