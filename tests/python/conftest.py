"""Shared fixtures: repository paths and the source reports."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def report_lines() -> dict[str, list[str]]:
    """Lines of each source report, keyed by file name (the reports live in ../shared/seeds)."""
    if not REPORTS.is_dir():
        pytest.skip(f"source reports not found at {REPORTS}")
    return {
        path.name: path.read_text(encoding="utf-8").splitlines()
        for path in sorted(REPORTS.glob("*.txt"))
    }


# The refresh tests' fixtures (`make refresh` as cron runs it): tests/python/refresh_fixtures.py.
pytest_plugins = ["refresh_fixtures"]
