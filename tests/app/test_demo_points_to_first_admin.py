"""In the demo, 设置 and 检查组 say where the first administrator is created (导入): they said only
“创建首个管理员账户、结束演示后”, and 用户管理 (named in the README) is not in the demo's menu (found on the walk)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import security
from planner.office.security import DEMO_ACTOR
from planner.store.database import session_scope

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("page", ["settings.py", "teams.py"])
def test_demo_pages_say_where_to_end_the_demo(engine, monkeypatch, page: str) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    monkeypatch.delenv(security.DEMO_ENV, raising=False)
    with session_scope(engine) as s:
        security.mark_demo_data(s)
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
    at.session_state[Key.ACTOR] = DEMO_ACTOR
    at.run()
    assert not at.exception
    said = [i.value for i in at.info if "演示模式" in i.value]
    assert said and "“导入”页" in said[0]
