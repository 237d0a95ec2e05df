"""导入 (walk T): after an import, 换一个文件 and the same file uploaded again previewed 未变 40 with the
earlier 导入结果 (新增 40) still under it; and 「用时 7.8 秒（读入、校验与入库 0.1 秒，计算新信件的内容含义
7.8 秒）」 did not add up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
REGISTER = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            "T1,2026-10-05,张建国,漳浦县官浔镇,村干部侵占征地补偿款\n"
            "T2,2026-10-06,李明,平和县山格镇,收取桉树砍伐保证金不退\n").encode()


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    return AppTest.from_file(PAGE, default_timeout=60)


def test_the_same_file_uploaded_again_shows_no_earlier_result(app: AppTest) -> None:
    app.session_state[FILE_KEY] = ("walkT.csv", REGISTER)
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    assert [s.value for s in app.subheader].count("导入结果") == 1
    app.button(key="import_clear").click().run()
    app.session_state[FILE_KEY] = ("walkT.csv", REGISTER)  # the same file again
    app.run()
    assert not app.exception
    assert any(s.value.startswith("预览：walkT") for s in app.subheader)
    assert "导入结果" not in [s.value for s in app.subheader]
    metrics = {m.label: m.value for m in app.metric}
    assert "新增" not in metrics  # the earlier result's 新增 2 is gone
    app.button(key="import_go").click().run()  # imported again: its own result (未变 2)
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["未变"] == "2"


def test_the_time_adds_up(app: AppTest) -> None:
    app.session_state[Key.IMPORT_RESULT] = {
        "filename": "walkT.csv", "rows_read": 40, "imported": 40, "updated": 0, "unchanged": 0, "rejected": 0,
        "seconds": 0.14, "meaning_seconds": 7.74, "file_id": None,
    }
    app.run()
    assert not app.exception
    (line,) = [c.value for c in app.caption if "用时" in c.value]
    total, read, meaning = (float(x) for x in re.findall(r"([0-9.]+) 秒", line))
    assert (read, meaning) == (0.1, 7.7)
    assert total == pytest.approx(read + meaning), line
