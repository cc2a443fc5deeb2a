"""Where the serving database lives: the file BI tools and the dashboard open.

The reporting marts are written into a second DuckDB file beside the warehouse, in a storage
version DuckDB 1.x readers open (profiles.yml attaches it as `serving`). Its path is
$DCI_SERVING_PATH, or the warehouse path with `_serving` before `.duckdb` — the same rule
profiles.yml applies, so a build into any file (the refresh's candidate included) writes its
serving file next to it.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_WAREHOUSE = "warehouse/digital_city_index.duckdb"


def warehouse_path() -> Path:
    return Path(os.environ.get("DCI_DUCKDB_PATH", DEFAULT_WAREHOUSE))


def serving_path(warehouse: Path | str | None = None) -> Path:
    """The serving file for `warehouse` (default: $DCI_DUCKDB_PATH or the live warehouse)."""
    if warehouse is None and os.environ.get("DCI_SERVING_PATH"):
        return Path(os.environ["DCI_SERVING_PATH"])
    main = str(warehouse if warehouse is not None else warehouse_path())
    return Path(main.replace(".duckdb", "") + "_serving.duckdb")
