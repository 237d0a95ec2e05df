"""首页 and 选件 (walk U defect 7): a letter about a place outside Zhangzhou (厦门市同安区) is its own row,
市外（转外地办理）, counted in the total, and 选件 leaves it out of the candidates saying why (SQLite, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.followup.overview import OUTSIDE_LABEL

PAGES = Path(__file__).resolve().parents[2] / "pages"
FAR = "地址不在漳州市（写明了其他地区）"


def _cases(engine) -> None:
    add_case(engine, "IN-1")
    add_case(engine, "NONE-1", county_code="", county="", town="", lon=None, lat=None)
    add_case(engine, "FAR-1", county_code="", county="", town="", lon=None, lat=None, geocode_message=FAR)


def _run(page: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    return at


def test_home_counts_the_letter_from_another_city_in_its_own_row(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _cases(engine)
    at = _run("home.py")
    counties = next(d.value for d in at.dataframe if "区县" in d.value.columns and "信访件" in d.value.columns)
    letters = dict(zip(counties["区县"], counties["信访件"], strict=True))
    assert letters[OUTSIDE_LABEL] == 1 and letters["未定位"] == 1 and letters["平和县"] == 1
    assert at.metric[0].value == "3" == str(sum(letters.values()))
    assert any(f"其中{OUTSIDE_LABEL} 1 件" in c.value for c in at.caption)


def test_selection_leaves_it_out_and_says_why(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _cases(engine)
    at = _run("selection.py")
    assert set(at.dataframe[0].value["编号"]) == {"IN-1", "NONE-1"}
    assert any("1 件地址不在漳州市，应转外地办理，不列入走访候选" in c.value and "FAR-1" in c.value for c in at.caption)
