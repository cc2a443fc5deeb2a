"""The short kill soak (`make soak` is the long one): SIGKILL the whole `make refresh` process
group three times — between link and replace, at a random moment of the first 30 s, and between
the warehouse's swap and the serving file's — and require every count of scripts/soak.py (a
mismatched pair included) to be 0 and the next refresh to publish."""

from __future__ import annotations

import re
import subprocess
import sys


def test_short_soak_finds_nothing_wrong(repo, baseline, tmp_path):
    report = tmp_path / "soak_report.md"
    result = subprocess.run(
        [
            sys.executable,
            str(repo / "scripts" / "soak.py"),
            "--kills",
            "3",
            "--forced-every",
            "2",
            "--refresh-seconds",
            "27",
            "--seed",
            "8",
            "--live-from",
            str(baseline["live"]),
            "--report",
            str(report),
            "--workdir",
            str(tmp_path),
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    text = result.stdout + result.stderr
    assert result.returncode == 0, text[-4000:]
    written = report.read_text(encoding="utf-8")
    assert "3 SIGKILLs" in written
    assert (
        "| publish, after_link | 1 |" in written
        and "| publish, between_files | 1 |" in written
        and "| random moment of a running refresh | 1 |" in written
    )
    checks = ("unreadable", "changed", "blocked", "leftover", "bad generations", "mismatched pair")
    counts = dict(re.findall(rf"^\| ({'|'.join(checks)}) \| (\d+) \|$", written, re.M))
    assert counts == dict.fromkeys(checks, "0")
    assert "| final `make refresh` published | yes |" in written
