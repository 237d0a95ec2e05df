"""A letter whose address cell is empty and whose content names a place outside Zhangzhou (反映厦门市海沧区东孚街道…)
is 市外 with the region its content gave, on 首页, 案件地图 (list and detail) and the register export — it read a bare
市外（转外地办理） there while its place note held the region (stop 51, walk W23; SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.outside_city import OUTSIDE_LABEL, note_region, outside_place
from planner.places.letters import locate_letters

PAGES = Path(__file__).resolve().parents[2] / "pages"
CONTENT = "反映厦门市海沧区东孚街道某社区干部违规收取拆迁手续费，请求查处。"
FAR_PLACE = "市外（转外地办理：厦门市海沧区）"


def _note() -> str:
    loc = locate_letters([SimpleNamespace(values={"address_text": "", "content": CONTENT})])[0]
    assert not loc["county_code"] and loc["lon"] is None
    return str(loc["geocode_message"])


def _cases(engine) -> None:
    add_case(engine, "FAR-2", county_code="", county="", town="", lon=None, lat=None, content=CONTENT,
             received=dt.date(2026, 9, 1), geocode_message=_note())


def _run(page: str, **state) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=90)
    at.session_state[Key.TODAY] = TODAY
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception
    return at


def test_the_region_comes_from_the_note_when_the_address_is_empty() -> None:
    assert note_region(_note()) == "厦门市海沧区"
    assert outside_place("", _note()) == FAR_PLACE
    assert outside_place("", "") == OUTSIDE_LABEL
    assert outside_place("厦门市思明区湖滨南路88号", _note()) == "市外（转外地办理：厦门市思明区）"  # the address first


def test_home_and_case_map_name_the_region(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _cases(engine)
    at = _run("home.py")
    urgent = next(d.value for d in at.dataframe if "剩余天数" in d.value.columns)
    assert dict(zip(urgent["编号"], urgent["区县"], strict=True))["FAR-2"] == FAR_PLACE
    at = _run("case_map.py")
    table = at.dataframe(key="cm_table").value
    assert dict(zip(table["编号"], table["位置"], strict=True))["FAR-2"] == FAR_PLACE
    at = _run("case_map.py", cm_pick="FAR-2")
    assert any(i.value.startswith(f"{OUTSIDE_LABEL}：地址在厦门市海沧区，不在漳州市") for i in at.info)


def test_the_register_export_names_the_region(engine) -> None:
    from planner.intake.register_export import register_rows
    from planner.store.database import session_scope

    _cases(engine)
    with session_scope(engine) as s:
        headers, rows = register_rows(s)
    assert dict(zip(headers, rows[0], strict=False))["县区"] == FAR_PLACE
