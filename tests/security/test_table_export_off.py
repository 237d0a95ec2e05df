"""Walk H: the tables' own 下载为 CSV wrote a register cell =HYPERLINK(...) as a live formula, and the tables hold
letters' words; the app's own exports are masked, audited and formula-safe. Streamlit's table export is off."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_table_export_is_off() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    assert config["browser"]["gatherUsageStats"] is False
