"""Every transcribed row points at the report lines it came from, and those lines say so.

A `source_ref` is `<report file>:L<first>[-L<last>]` plus an optional section title. These tests
check that each reference names a real report and real lines, and that every printed name in the
ranking, tier, cluster and scale seeds occurs in the lines its row cites — a transcription that
drifted from its source fails here.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

SOURCE_REF = re.compile(
    r"^(?P<file>\d{3}_[0-9a-f]{16}\.txt):L(?P<first>\d+)(?:-L(?P<last>\d+))?(?: \(.+\))?$"
)
NAME_KINDS = ("ranking_rows", "tier_members", "cluster_members", "digital_economy_scale")


def published_seed_files(repo: Path) -> list[Path]:
    return sorted((repo / "seeds" / "published").glob("*/*.csv"))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_ref(ref: str) -> tuple[str, int, int]:
    match = SOURCE_REF.match(ref)
    assert match, f"malformed source_ref {ref!r}"
    first = int(match["first"])
    last = int(match["last"] or first)
    return match["file"], first, last


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_published_seed_row_has_a_resolvable_source_ref(repo, report_lines):
    problems = []
    for path in published_seed_files(repo):
        for line_no, row in enumerate(read_rows(path), start=2):
            ref = row.get("source_ref", "")
            match = SOURCE_REF.match(ref)
            if not match:
                problems.append(f"{path.name}:{line_no}: malformed source_ref {ref!r}")
                continue
            file, first, last = parse_ref(ref)
            lines = report_lines.get(file)
            if lines is None:
                problems.append(f"{path.name}:{line_no}: unknown report {file}")
            elif not (1 <= first <= last <= len(lines)):
                problems.append(
                    f"{path.name}:{line_no}: lines {first}-{last} outside {file} "
                    f"({len(lines)} lines)"
                )
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("kind", NAME_KINDS)
def test_printed_names_occur_in_the_cited_lines(repo, report_lines, kind):
    paths = [p for p in published_seed_files(repo) if p.stem.endswith(kind)]
    assert paths, f"no seed of kind {kind}"
    problems = []
    n_checked = 0
    for path in paths:
        for line_no, row in enumerate(read_rows(path), start=2):
            file, first, last = parse_ref(row["source_ref"])
            cited = squeeze("".join(report_lines[file][first - 1 : last]))
            n_checked += 1
            if squeeze(row["name_as_printed"]) not in cited:
                problems.append(
                    f"{path.name}:{line_no}: {row['name_as_printed']!r} not in {row['source_ref']}"
                )
    assert n_checked > 0
    assert not problems, f"{len(problems)} names not found where cited:\n" + "\n".join(
        problems[:30]
    )


def test_printed_scores_occur_in_the_cited_lines(repo, report_lines):
    problems = []
    for path in published_seed_files(repo):
        if not path.stem.endswith("ranking_rows"):
            continue
        for line_no, row in enumerate(read_rows(path), start=2):
            if not row["published_score"]:
                continue
            file, first, last = parse_ref(row["source_ref"])
            cited = " ".join(report_lines[file][first - 1 : last])
            if not re.search(rf"(?<![\d.]){re.escape(row['published_score'])}(?![\d])", cited):
                problems.append(
                    f"{path.name}:{line_no}: score {row['published_score']} "
                    f"not in {row['source_ref']}"
                )
    assert not problems, f"{len(problems)} scores not found where cited:\n" + "\n".join(
        problems[:30]
    )


def test_source_ref_parser_rejects_malformed_references():
    with pytest.raises(AssertionError):
        parse_ref("004_5df1c8c77506a7d3.txt line 12")
    assert parse_ref("004_5df1c8c77506a7d3.txt:L12-L14 (附录)") == (
        "004_5df1c8c77506a7d3.txt",
        12,
        14,
    )
