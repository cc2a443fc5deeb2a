"""Running the refresh as cron does, for every refresh test: `make refresh` with cron's bare
environment (PATH=/usr/bin:/bin, no venv activated, no make in the parent), against a temporary
live file. Fixtures: `baseline` (one published warehouse of the shipped sample) and `live_copy`.
Registered for every test module through conftest's pytest_plugins.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from warehouse_utils import marts_snapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from serving_path import serving_path  # noqa: E402  (scripts/ is not a package)

EXIT_OK, EXIT_INPUT_REJECTED, EXIT_VALIDATION_FAILED, EXIT_LOCKED, EXIT_INTERNAL = 0, 10, 11, 12, 13


def cron_env(repo: Path, live: Path, raw_dir: Path | None = None, **extra: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "SHELL": "/bin/sh",
        "DCI_DUCKDB_PATH": str(live),
        "DCI_LOG_FILE": str(live.parent / "refresh.log"),
        "DCI_RAW_DATA_DIR": str(raw_dir or repo / "data" / "sample"),
        **extra,
    }


def make(
    repo: Path,
    live: Path,
    raw_dir: Path | None = None,
    *goals: str,
    env: dict | None = None,
    **popen,
) -> subprocess.CompletedProcess:
    """`make refresh` (or other goals / VAR=value arguments) as cron runs it; returns the result."""
    popen.setdefault("timeout", 900)
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(repo), *(goals or ("refresh",))],
        env=cron_env(repo, live, raw_dir, **(env or {})),
        capture_output=True,
        text=True,
        check=False,
        **popen,
    )


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def run_until(
    repo: Path, live: Path, marker: str, command: list[str] | None = None, **env: str
) -> None:
    """Start `make refresh` (or command) in its own process group; SIGKILL the group when stderr
    shows marker."""
    process = subprocess.Popen(
        command or ["make", "-C", str(repo), "refresh"],
        env=cron_env(repo, live, **env),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in process.stderr:
        seen.append(line)
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert any(marker in line for line in seen), "".join(seen)[-3000:]


def sample_copy(repo: Path, folder: Path) -> Path:
    shutil.copytree(repo / "data" / "sample", folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def generations(live: Path) -> list[Path]:
    """The warehouse's generations (the serving database's sit beside them, paired by id)."""
    folder = live.parent / "generations"
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.name.startswith(f"{live.stem}."))


@pytest.fixture(scope="session")
def baseline(repo, tmp_path_factory):
    """A live warehouse published by one successful `make refresh` of the shipped sample."""
    live = tmp_path_factory.mktemp("live") / "digital_city_index.duckdb"
    result = make(repo, live)
    assert result.returncode == EXIT_OK, output(result)[-5000:]
    return {"live": live, "snapshot": marts_snapshot(live)}


@pytest.fixture()
def live_copy(baseline, tmp_path):
    """A private copy of the baseline live warehouse, for tests that refresh it."""
    live = tmp_path / "live" / "digital_city_index.duckdb"
    live.parent.mkdir()
    shutil.copy2(baseline["live"], live)
    shutil.copy2(serving_path(baseline["live"]), serving_path(live))
    return live
