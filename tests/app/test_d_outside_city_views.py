"""AppTest: a letter about a place outside Zhangzhou (厦门市思明区) is 市外（转外地办理） on every view, not a
letter the office failed to place nor a visit it owes: 首页's deadline warnings name it 转外地办理 and count it
apart, 案件地图 lists it as 市外 (not 未定位) and offers no 加入选件清单, 关联分析 names its place 市外 and leaves it
out of the letters it adds to 选件 (SQLite, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.outside_city import OUTSIDE_LABEL
from planner.places.letters import locate_letters
from planner.store.database import session_scope
from planner.store.models import CaseRow, PetitionerRow

PAGES = Path(__file__).resolve().parents[2] / "pages"
FAR_ADDRESS = "厦门市思明区湖滨南路88号"
FAR_PLACE = "市外（转外地办理：厦门市思明区）"
CONTENT = "反映村委会违规收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"


def _far_note() -> str:
    """The place note the import's own locating gives the address (地址不在漳州市……)."""
    from types import SimpleNamespace

    loc = locate_letters([SimpleNamespace(values={"address_text": FAR_ADDRESS, "content": ""})])[0]
    assert not loc["county_code"] and loc["lon"] is None
    return loc["geocode_message"]


def _cases(engine, *, overdue: bool = False) -> None:
    """One letter in 平和县, one from 厦门市思明区, one with no place at all; the same complaint by the same writer in
    the first two (a 市外 letter joins a city letter's group only as the same writer's)."""
    old = dt.date(2026, 9, 1) if overdue else dt.date(2026, 11, 1)
    add_case(engine, "IN-1", content=CONTENT, received=old)
    add_case(engine, "NONE-1", county_code="", county="", town="", lon=None, lat=None,
             content="反映某单位食堂超标准接待", geocode_message="地址为空")
    add_case(engine, "FAR-1", county_code="", county="", town="", lon=None, lat=None, content=CONTENT,
             received=old, geocode_message=_far_note())
    with session_scope(engine) as s:
        s.query(CaseRow).filter_by(case_no="FAR-1").one().address_text = FAR_ADDRESS
        for no in ("IN-1", "FAR-1"):
            s.add(PetitionerRow(case_id=s.query(CaseRow).filter_by(case_no=no).one().id, name="郑文华",
                                phone="13905960123"))


def _run(page: str, **state) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=90)
    at.session_state[Key.TODAY] = TODAY
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception
    return at


def test_home_warns_of_its_deadline_as_one_to_pass_on(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _cases(engine, overdue=True)
    at = _run("home.py")
    urgent = next(d.value for d in at.dataframe if "剩余天数" in d.value.columns)
    place = dict(zip(urgent["编号"], urgent["区县"], strict=True))
    assert place["FAR-1"] == FAR_PLACE and place["IN-1"] == "平和县"
    caption = next(c.value for c in at.caption if c.value.startswith("已超期"))
    assert "其中市外 1 件地址不在漳州市，应在期限内转外地办理，不需走访" in caption


def test_case_map_lists_it_as_outside_not_unplaced(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _cases(engine)
    at = _run("case_map.py")
    table = at.dataframe(key="cm_table").value
    where = dict(zip(table["编号"], table["位置"], strict=True))
    assert where["FAR-1"] == FAR_PLACE and where["NONE-1"] == "未定位"
    assert dict(zip(table["编号"], table["区县"], strict=True))["FAR-1"] == "市外"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("1 件没有坐标") for c in captions)
    assert any(f"另有 1 件地址不在漳州市，为{OUTSIDE_LABEL}" in c for c in captions)
    assert any(o.startswith(f"FAR-1｜{FAR_PLACE}｜") for o in at.selectbox(key="cm_pick").options)


def test_case_map_detail_says_outside_and_offers_no_selection(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _cases(engine)
    at = _run("case_map.py", cm_pick="FAR-1")
    assert not any(w.value.startswith("未定位") for w in at.warning)
    assert any(i.value.startswith(f"{OUTSIDE_LABEL}：地址在厦门市思明区，不在漳州市，应转外地办理") for i in at.info)
    assert not [b for b in at.button if b.key == "cm_add_to_selection"]
    assert any("不加入选件清单" in c.value for c in at.caption)
    # A letter the office failed to place still says so, with how to place it.
    at = _run("case_map.py", cm_pick="NONE-1")
    assert any(w.value.startswith("未定位") for w in at.warning)


def test_clusters_name_its_place_outside(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    _cases(engine)
    at = _run("clusters.py")
    result = at.session_state[Key.CLUSTER_RESULT]
    assert result.issue_of["IN-1"] == result.issue_of["FAR-1"] == at.session_state[Key.SELECTED_CLUSTER]
    issues = next(d.value for d in at.dataframe if "系统性" in d.value.columns)
    assert issues["区县"].tolist() == ["平和县、市外"]
    letters = next(d.value for d in at.dataframe if "收件日期" in d.value.columns)
    assert dict(zip(letters["编号"], letters["区县"], strict=True)) == {"IN-1": "平和县", "FAR-1": FAR_PLACE}
    assert any("其中 1 件地址不在漳州市（FAR-1），转外地办理，不加入选件清单" in c.value for c in at.caption)
    add = next(b for b in at.button if b.key == "cl_add_to_selection")
    assert add.label == "将其中 1 件未办结信件加入选件清单"
    add.click().run()
    assert at.session_state[Key.SELECTED_CASES] == ["IN-1"]
