"""导入: a row about a place outside Zhangzhou (厦门市思明区…, 广东省潮州市饶平县…) is counted and listed as
市外（转外地办理） in the preview and the result, not as 未定位 (the walk's register of 10 said 4 件未定位 for 1 blank
address and 3 from other cities); a row with no place is still 未定位 (SQLite, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.followup.overview import outside_zhangzhou
from planner.intake import register as ingest
from planner.intake.address_checks import address_preview
from planner.store.database import session_scope

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")

REGISTER = ("编号,收件日期,信访人,问题发生地,反映内容\n"
            "D1,2026-10-05,张建国,平和县山格镇土田村,收取桉树砍伐保证金\n"
            "D2,2026-10-06,李明,厦门市思明区湖滨南路88号,收取桉树砍伐保证金\n"
            "D3,2026-10-07,王芳,广东省潮州市饶平县黄冈镇,征地补偿款被截留\n"
            "D4,2026-10-08,陈红,,反映问题\n")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    return AppTest.from_file(PAGE, default_timeout=60)


def test_the_preview_and_the_result_count_outside_letters_apart(engine, app: AppTest) -> None:
    app.session_state[FILE_KEY] = ("市外.csv", REGISTER.encode("utf-8"))
    app.run()
    assert not app.exception
    assert any("1 件未定位，2 件地址不在漳州市（转外地办理，不列入走访候选）" in w.value for w in app.warning), [
        w.value for w in app.warning]
    table = next(d.value for d in app.dataframe if "导入后" in d.value.columns)
    after = dict(zip(table["编号"], table["导入后"], strict=True))
    assert after == {"D2": "市外（转外地办理：厦门市思明区）", "D3": "市外（转外地办理：广东省潮州市饶平县）",
                     "D4": "未定位"}

    app.button(key="import_go").click().run()
    assert not app.exception
    line = next(m.value for m in app.markdown if m.value.startswith("**定位**"))
    assert "未定位 1 件" in line and "市外（转外地办理） 2 件" in line, line
    assert any(i.value.startswith("2 件地址不在漳州市，为市外（转外地办理）") for i in app.info)
    # The counts are those of the letters every later view reads as 市外.
    with session_scope(engine) as s:
        assert outside_zhangzhou(s) == {"D2", "D3"}


def test_the_counts_agree_with_the_stored_letters(engine) -> None:
    preview = ingest.read_register(REGISTER.encode("utf-8"), filename="a.csv")
    with session_scope(engine) as s:
        places = address_preview(s, preview)
    summary = ingest.import_register(engine, REGISTER.encode("utf-8"), filename="a.csv")
    with session_scope(engine) as s:
        far = outside_zhangzhou(s)
    assert places.outside == summary.geocoded.get("outside") == len(far) == 2
    assert places.unplaced == summary.geocoded.get("none") == 1
