"""The calibrated SYNTHETIC sample generator (data/sample/), one module per step.

The reports publish composite scores, ranks, tiers and pillar averages, never the raw indicator
values. These modules invent raw values, in the indicator catalog's natural units, such that the
engine of docs/engine.md (implemented in scripts/reference_engine.py) reproduces what the reports
publish, then re-read the written files and verify every target. The command line is
scripts/generate_sample.py (`make sample`, `make check-sample`).

Steps, per framework (pipeline.generate_framework runs them in this order):
1. targets: each printed score s gets a composite in [s + 0.005, s + 0.045] (so round_half_up
   gives s and a threshold score such as 65.0 stays in the higher tier); units printed with the
   same score are spread inside that window in printed-rank order. A framework that prints ranks
   only (dim_frameworks.scores_published = false) gets a strictly decreasing sequence in its
   top-list rank, lower for the rest.
2. pillar_scores: composite + pillar-specific deviation, then alternating projections
   (calibration) onto {weighted pillar sum = composite} and {pillar mean = printed mean, shifted
   consistently when the printed overall mean and sum(w * pillar mean) disagree} and [0, 100].
3. leaf_scores: pillar score + sub-pillar deviation + indicator noise; discrete /
   distribution-dependent leaves (ordinal, boolean, zscore, percentile, printed node lists) are
   fixed first, goalposts / minmax leaves absorb the rest with the same projections (row = pillar
   score, column mean = printed lower-level averages, box = catalog plausible range).
4. raw_values (value shaping): leaf scores are mapped to raw values (goalposts inverted, ordinal
   levels, 0/1, ...), written with a fixed number of decimals per catalog unit.
5. verification: the written files are re-parsed, scored with reference_engine and checked
   against every target; printed rows by the calibration rule (calibration_rule.py).

Deterministic: numpy default_rng([SEED, crc32(framework_id)]); no dependence on time or on
dict/set ordering.
"""
