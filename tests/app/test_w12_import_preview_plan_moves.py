"""AppTest of 导入's preview (walk W12): a register that moves a letter on an issued plan says so before 导入 is
pressed — the letter, its old and new place, the plan, team, day and stop — and the preview writes nothing."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import ImportBatch
from tests.office import _seed
from tests.test_w12_preview_moves_on_plan import MOVED, register

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")


def test_the_preview_warns_of_the_moved_letter_before_the_import(engine, monkeypatch) -> None:
    _seed.seed(engine)
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[FILE_KEY] = ("w12_v2.xlsx", register())
    app.session_state["actor"] = _seed.ACCOUNTS["coordinator"]
    app.run()
    assert not app.exception
    warning = next(w.value for w in app.warning if "已排入下访计划" in w.value)
    assert MOVED in warning and "长泰区岩溪镇甘寨村" in warning and "平和县山格镇隆庆村" in warning
    assert "（已下发）" in warning and "12月7日 第 1 站" in warning
    assert any(h.value == "已排入计划的信访件" for h in app.subheader)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0  # not imported by the preview
