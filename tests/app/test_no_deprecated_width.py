"""No Streamlit call passes ``use_container_width`` (walk A, 2026-12-03: the server log held 162 warnings that it
"will be removed after 2025-12-31"; the next Streamlit would break those pages). ``width="stretch"`` replaces it.
streamlit-folium's ``st_folium`` has its own parameter of that name, which is not Streamlit's and stays."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _calls_with_old_width() -> list[str]:
    out = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "planner").rglob("*.py"))]:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name != "st_folium" and any(k.arg == "use_container_width" for k in node.keywords):
                out.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return out


def test_no_streamlit_call_uses_the_removed_width_argument():
    assert _calls_with_old_width() == []
