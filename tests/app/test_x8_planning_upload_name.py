"""路线规划 (walk W33, 导入's file name read as Markdown): the note about an uploaded visits.csv names the file as
text — a file named …[点我](javascript:alert(8)).csv is no link, its <img> no HTML."""

from __future__ import annotations

import re
from pathlib import Path

from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Visit

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")


def test_the_uploaded_file_name_is_text(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state[Key.TODAY] = TODAY
    app.session_state[Key.VISITS] = (Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=("ZZ1",)),)
    # As the page words it when a file is read (upload.name as the browser sent it).
    app.session_state["planning_upload_note"] = (
        "已读入 <img src=x onerror=alert(9)>=1+1[点我](javascript:alert(8)).csv 的 1 个走访点；"
        "此前的规划结果已清除，请点击“开始规划”。")
    app.run()
    assert not app.exception
    (note,) = [i.value for i in app.info if "点我" in i.value]
    assert "\\[点我\\]" in note and not re.search(r"(?<!\\)\]\(", note)
    assert "<img" not in note.replace("\\<img", "")
