"""Start a new framework (or a new edition of one) from an earlier framework's tree.

    make new-framework FROM=h3c_dei_2021__city TO=h3c_dei_2023__city

Writes, never overwriting anything:
  macros/frameworks/<TO>.sql           the tree and weights of <FROM>, as macro framework_<TO>()
  macros/frameworks/<TO>.md            its docs block (where the tree comes from)
  macros/_macros.yml                   + an entry describing the macro
  seeds/catalog/indicator_catalog__<TO>.csv   <FROM>'s leaf catalog (how each leaf is measured)
  seeds/catalog/_catalog__seeds.yml    + an entry describing the catalog

and prints what only a human knows (README "Extending"): the framework's row in
seeds/reference/frameworks.csv, its edition's row in editions.csv when the edition is new, and
the tree's weights, names and source_refs where <TO>'s report differs from <FROM>'s. Everything
else (the framework list, tree depth, pillar count, pillar columns) is derived from these files.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FRAMEWORK_ID = re.compile(r"[a-z][a-z0-9_]*__[a-z][a-z0-9_]*")
FRAMEWORK_COLUMNS = (
    "framework_id, edition_id, unit_levels, name_zh, name_en, weights_published, "
    "scores_published, ranks_published, source_ref"
)
EDITION_COLUMNS = (
    "edition_id, publisher_zh, publisher_en, title_zh, title_en, report_files, "
    "publication_year, data_year, source_ref"
)


class Refused(Exception):
    """A request the command will not carry out, with the reason."""


def paths(repo: Path, framework_id: str) -> dict[str, Path]:
    return {
        "tree": repo / "macros" / "frameworks" / f"{framework_id}.sql",
        "notes": repo / "macros" / "frameworks" / f"{framework_id}.md",
        "catalog": repo / "seeds" / "catalog" / f"indicator_catalog__{framework_id}.csv",
    }


def check_request(repo: Path, source: str, target: str) -> None:
    if not FRAMEWORK_ID.fullmatch(target):
        raise Refused(
            f"TO={target!r} is not a framework id: <edition_id>__<unit type>, lowercase letters, "
            "digits and _ (e.g. h3c_dei_2023__city)"
        )
    missing = [
        str(path.relative_to(repo)) for path in paths(repo, source).values() if not path.exists()
    ]
    if missing:
        known = sorted(path.stem for path in (repo / "macros" / "frameworks").glob("*__*.sql"))
        raise Refused(
            f"FROM={source!r} is not a framework here (no {', '.join(missing)}); "
            f"one of: {', '.join(known)}"
        )
    existing = [
        str(path.relative_to(repo)) for path in paths(repo, target).values() if path.exists()
    ]
    if existing:
        raise Refused(f"TO={target!r} exists already ({', '.join(existing)}); nothing written")


def tree_macro(source_text: str, source: str, target: str) -> str:
    """<FROM>'s macro renamed to framework_<TO>, its header saying where the tree came from."""
    body = source_text.split("-#}", 1)[1] if source_text.startswith("{#-") else source_text
    renamed = body.replace(f"macro framework_{source}()", f"macro framework_{target}()", 1)
    if renamed == body:
        raise Refused(f"macros/frameworks/{source}.sql does not define framework_{source}()")
    header = (
        f"{{#- {target}: indicator tree and weights copied from {source} by make new-framework. "
        f"Every node's source_ref still cites {source}'s report: change weights, names and "
        f"source_refs where {target}'s report prints them differently; notes in {target}.md. -#}}"
    )
    return header + renamed


def notes_block(source: str, target: str) -> str:
    return (
        f"{{% docs framework_{target} %}}\n"
        f"**`{target}`** — indicator tree and weights copied from `{source}` "
        f"(macros/frameworks/{source}.sql and {source}.md, which record where that report prints "
        f"the tree and how it was reconstructed) by `make new-framework`. Record here where "
        f"`{target}`'s report prints its tree and every place it differs from `{source}`.\n"
        "{% enddocs %}\n"
    )


def catalog_rows(source_catalog: Path, target: str) -> list[list[str]]:
    with source_catalog.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("framework_id")
    return [rows[0]] + [row[:column] + [target] + row[column + 1 :] for row in rows[1:]]


def append_yaml_entry(path: Path, entry: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")


def framework_row(repo: Path, framework_id: str) -> dict[str, str] | None:
    with (repo / "seeds" / "reference" / "frameworks.csv").open(encoding="utf-8") as handle:
        return next(
            (row for row in csv.DictReader(handle) if row["framework_id"] == framework_id), None
        )


def create(repo: Path, source: str, target: str) -> list[str]:
    """Write the new framework's files; return the steps left to the human."""
    check_request(repo, source, target)
    source_paths, target_paths = paths(repo, source), paths(repo, target)
    tree = tree_macro(source_paths["tree"].read_text(encoding="utf-8"), source, target)
    target_paths["tree"].write_text(tree, encoding="utf-8")
    target_paths["notes"].write_text(notes_block(source, target), encoding="utf-8")
    with target_paths["catalog"].open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(
            catalog_rows(source_paths["catalog"], target)
        )
    append_yaml_entry(
        repo / "macros" / "_macros.yml",
        f"  - name: framework_{target}\n    description: '{{{{ doc(\"framework_{target}\") }}}}'\n",
    )
    append_yaml_entry(
        repo / "seeds" / "catalog" / "_catalog__seeds.yml",
        f"  - name: indicator_catalog__{target}\n"
        f'    description: "One row per leaf indicator of {target}: raw measure, unit, direction, '
        "plausible range, normalisation and parameters (copied from "
        f'{source}). Project operationalisation, not published data."\n'
        "    columns: *catalog_columns\n",
    )
    source_row = framework_row(repo, source) or {}
    return [
        f"seeds/reference/frameworks.csv: add the row of {target} ({FRAMEWORK_COLUMNS}); "
        f"{source} has unit_levels={source_row.get('unit_levels', '?')}",
        f"seeds/reference/editions.csv: if {target}'s edition is new, add its row "
        f"({EDITION_COLUMNS})",
        f"macros/frameworks/{target}.sql (and its notes {target}.md): weights, names and "
        f"source_refs where {target}'s report differs from {source}'s",
        f"optional: raw values in var('raw_data_dir')/{target}.csv "
        f"(make template FRAMEWORK={target}); "
        "the report's printed tables in seeds/published/<edition>/ with an entry in "
        "dbt_project.yml's published_seed_sets (docs/data_contract.md)",
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", metavar="FROM", help="an existing framework id")
    parser.add_argument("target", metavar="TO", help="the new framework id")
    args = parser.parse_args(argv)
    try:
        steps = create(REPO, args.source, args.target)
    except Refused as refusal:
        print(f"make new-framework: {refusal}", file=sys.stderr)
        return 2
    print(f"wrote {args.target} from {args.source}: tree macro, notes, leaf catalog, YAML entries")
    print('left to you (README "Extending"):')
    for number, step in enumerate(steps, start=1):
        print(f"  {number}. {step}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
