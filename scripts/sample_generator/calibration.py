"""Calibration: move a units x items score matrix onto its targets by alternating projections.

Targets are row constraints (x[u] @ w == target[u]: a unit's composite or pillar score), column
means (mean_u(x @ a) == m: a printed average) and a box (lo <= x <= hi: [0, 100] or the scores a
catalog's plausible range can reach). Entries marked fixed never move.
"""

from __future__ import annotations

import numpy as np


def fit_row_sum(
    x: np.ndarray, w: np.ndarray, target: float, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Move x inside [lo, hi] so that w @ x == target (water-filling over unbounded entries)."""
    x = np.clip(x, lo, hi)
    for _ in range(60):
        residual = target - w @ x
        if abs(residual) < 1e-11:
            break
        movable = (x < hi - 1e-12) if residual > 0 else (x > lo + 1e-12)
        movable &= w > 0
        if not movable.any():
            break
        w_movable = np.where(movable, w, 0.0)
        x = np.clip(x + residual * w_movable / (w_movable @ w_movable), lo, hi)
    return x


def project(x, rows, lo, hi, col_targets=(), fixed=None, iters=600):
    """Alternating projections for a units x items matrix x (only entries where ~fixed move).

    rows: list of (w, target) with target[u] = nan for no constraint: x[u] @ w == target[u];
    columns: mean_u(x @ a) == m for (a, m) in col_targets; box lo <= x <= hi.
    Ends with an exact per-row fix, constraints in list order, each one moving only entries the
    previous ones do not use (the row constraints are the hard ones; column means may be a hair
    off).
    """
    free = np.ones_like(x, dtype=bool) if fixed is None else ~fixed
    lo = np.broadcast_to(lo, x.shape)
    hi = np.broadcast_to(hi, x.shape)
    for _ in range(iters):
        x = project_rows(x, rows, free)
        x = project_column_means(x, col_targets, free)
        x = np.where(free, np.clip(x, lo, hi), x)
    return fit_rows_exactly(x, rows, lo, hi, free)


def project_rows(x, rows, free):
    """One projection onto each row constraint in turn (free entries only)."""
    for w, target in rows:
        has = ~np.isnan(target)
        w_free = np.where(free, w, 0.0)
        den = (w_free * w_free).sum(1)
        ok = has & (den > 0)
        residual = np.where(ok, np.nan_to_num(target) - (x * w).sum(1), 0.0)
        x = x + residual[:, None] * w_free / np.where(den > 0, den, 1)[:, None]
    return x


def project_column_means(x, col_targets, free):
    """One projection onto each column-mean constraint in turn (free entries only)."""
    n = x.shape[0]
    for a, m in col_targets:
        a_free = np.where(free, a, 0.0)
        den = (a_free * a_free).sum()
        if den > 0:
            x = x + (m - (x @ a).mean()) * n * a_free / den
    return x


def fit_rows_exactly(x, rows, lo, hi, free):
    """Per unit, satisfy each row constraint exactly (in list order) by moving only free entries
    that no earlier constraint of the unit uses."""
    x = x.copy()
    lo = np.broadcast_to(lo, x.shape)
    hi = np.broadcast_to(hi, x.shape)
    for u in range(x.shape[0]):
        movable = free[u].copy()
        for w, target in rows:
            if np.isnan(target[u]):
                continue
            moving = movable & (w > 0)
            if moving.any():
                xu = x[u].copy()
                rest = target[u] - x[u, ~moving] @ w[~moving]
                xu[moving] = fit_row_sum(
                    x[u, moving], w[moving], rest, lo[u, moving], hi[u, moving]
                )
                x[u] = xu
            movable &= ~(w > 0)
    return x
