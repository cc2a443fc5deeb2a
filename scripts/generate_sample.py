"""Generate the calibrated SYNTHETIC sample of raw indicator values (data/sample/).

The reports publish composite scores, ranks, tiers and pillar averages, never the raw indicator
values. This command invents raw values, in the indicator catalog's natural units, such that the
engine of docs/engine.md (implemented in scripts/reference_engine.py) reproduces what the reports
publish; it then re-reads the files it wrote, verifies every target, prints a calibration report
and exits 1 when a target not excused by a recorded source discrepancy is missed. The steps are
the modules of scripts/sample_generator/ (its docstring describes the method).

    python scripts/generate_sample.py                # write data/sample/*, print the report
    python scripts/generate_sample.py --check        # exit 1 if the committed files differ

`make sample` and `make check-sample` run it against the reference warehouse.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_generator.output import report_text, stale_files, write_files  # noqa: E402
from sample_generator.pipeline import build_all  # noqa: E402
from sample_generator.settings import FRAMEWORKS, REPO  # noqa: E402, F401 (FRAMEWORKS: tests)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--warehouse", default=str(REPO / "target/reference/digital_city_index.duckdb"))
    ap.add_argument("--catalog-dir", default=str(REPO / "seeds/catalog"))
    ap.add_argument("--out-dir", default=str(REPO / "data/sample"))
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed files differ")
    args = ap.parse_args(argv)
    files, reports, plans = build_all(Path(args.warehouse), Path(args.catalog_dir))
    out = Path(args.out_dir)
    print(report_text(reports, plans))
    failed = any(r.failures for r in reports.values())
    if args.check:
        diffs = stale_files(out, files)
        if diffs:
            print("sample out of date:\n  " + "\n  ".join(diffs))
            return 1
        print("sample up to date")
        return 1 if failed else 0
    write_files(out, files)
    print(f"wrote {len(files)} files to {out}")
    if failed:
        print("calibration FAILED (see above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
