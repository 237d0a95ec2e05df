"""AppTest, walk W28: letters sent to 选件 from 关联分析 (or 案件地图, “加入选件清单”) in a new session were lost.

A leader signed in, sent 7 letters of issue I0015 from 关联分析 and opened 选件: it restored the last selection (17
stops) over them and 生成走访点 left them out, with nothing said. Sent letters are now added to the restored
selection, and said so; a letter already in it is not added twice."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import TeamRow, UserRow

PAGES = Path(__file__).resolve().parents[2] / "pages"
LEADER = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="林组长")
#: 关联分析's issue: one forestry fee in four towns (as tests/app/test_i_clusters_add_planned.py).
FEES = [
    ("E1", "350628", "平和县", "九峰镇", "九峰镇林业站向林农收取桉树砍伐保证金每亩200元，砍伐后不予退还，请求查处。"),
    ("E2", "350627", "南靖县", "书洋镇", "书洋镇林业站收取桉树砍伐保证金，林农砍伐桉树后保证金一直不退。"),
    ("E3", "350629", "华安县", "仙都镇", "仙都镇林业站要求砍伐桉树先交保证金，至今未退还保证金。"),
]
#: Letters of the last selection, each its own matter.
OWN = [
    ("P1", "小溪镇", "小溪镇旧县村征地补偿款至今未发放到户。", 117.31),
    ("P2", "坂仔镇", "坂仔镇东风村村干部侵占低保名额。", 117.40),
    ("P3", "文峰镇", "文峰镇三坪村道路硬化工程偷工减料。", 117.22),
]


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no, code, county, town, text in FEES:
        add_case(engine, no, county_code=code, county=county, town=town, content=text)
    for no, town, text, lon in OWN:
        add_case(engine, no, town=town, content=text, category="其他", lon=lon, lat=24.36)
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.35, base_lat=24.36))
        s.add(UserRow(username=LEADER.username, display_name=LEADER.display_name, role=LEADER.role,
                      password_hash="x", team_ids=list(LEADER.team_ids)))
    return engine


def _page(name: str) -> AppTest:
    """A fresh browser session of the leader on ``name``."""
    at = AppTest.from_file(str(PAGES / name), default_timeout=90)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = LEADER
    return at


def _last_selection(chosen: list[str], *, by_dropping: bool = False) -> None:
    """A session before: the leader chose ``chosen`` (added by hand to a top N of none, or ``by_dropping`` the rest
    of a top N of all), kept for a reload."""
    app = _page("selection.py")
    app.run()
    assert not app.exception
    app.number_input(key="sel_top").set_value(len(FEES) + len(OWN) if by_dropping else 0).run()
    if by_dropping:
        rest = [c for c in app.multiselect(key="sel_drop").options if c not in chosen]
        app.multiselect(key="sel_drop").set_value(rest).run()
    else:
        app.multiselect(key="sel_extra").set_value(chosen).run()
    app.button(key="sel_build").click().run()
    assert not app.exception
    assert {c for v in app.session_state[Key.VISITS] for c in v.case_nos} == set(chosen)


def _then(app: AppTest, name: str) -> AppTest:
    """The same browser session going on to page ``name``: what ``app``'s pages kept in session state comes along
    (the app's pages share one session; widgets are each page's own)."""
    nxt = _page(name)
    for key in app.session_state:
        if not str(key).startswith(("cl_", "pl_", "$$")):
            nxt.session_state[key] = app.session_state[key]
    nxt.run()
    return nxt


def _built(app: AppTest) -> list[str]:
    app.button(key="sel_build").click().run()
    assert not app.exception
    return [c for v in app.session_state[Key.VISITS] for c in v.case_nos]


def test_letters_sent_from_clusters_in_a_new_session_are_added_to_the_restored_selection(db) -> None:
    _last_selection(["P1", "P2"])
    app = _page("clusters.py")  # sign in again → 关联分析 → 加入选件清单 → 选件, in one session
    app.run()
    assert not app.exception, app.exception[0].stack_trace
    add = app.button(key="cl_add_to_selection")
    assert add.label == "将其中 3 件未办结信件加入选件清单"
    add.click().run()
    assert any("已加入选件清单（共 3 件）" in s.value for s in app.success)
    app = _then(app, "selection.py")
    assert not app.exception
    infos = " ".join(i.value for i in app.info)
    assert re.search(r"已恢复上次选定的 \d+ 个走访点，并加入从关联分析或案件地图转来的 3 件。", infos)
    assert "已从关联分析或案件地图加入 3 件" in infos
    built = _built(app)
    assert sorted(built) == ["E1", "E2", "E3", "P1", "P2"]


def test_a_sent_letter_already_in_the_restored_selection_is_not_added_twice(db) -> None:
    _last_selection(["P1", "P2"])
    app = _page("selection.py")
    app.session_state[Key.SELECTED_CASES] = ["P2", "E2"]  # 案件地图's 加入选件清单, twice, before 选件 was opened
    app.run()
    assert not app.exception
    assert any(re.search(r"已恢复上次选定的 \d+ 个走访点，并加入从关联分析或案件地图转来的 1 件（另有 1 件已在其中）。",
                         i.value) for i in app.info)
    built = _built(app)
    assert Counter(built) == Counter({"P1": 1, "P2": 1, "E2": 1})


def test_letters_sent_then_planning_opened_first_still_reach_the_selection(db) -> None:
    _last_selection(["P1", "P2"])
    app = _page("planning.py")  # 关联分析 → 路线规划 first: it restores the selection too
    app.session_state[Key.SELECTED_CASES] = ["E1", "E3"]
    app.run()
    assert not app.exception
    assert any("从关联分析或案件地图转来的 2 件尚未生成走访点" in i.value for i in app.info)
    assert {c for v in app.session_state[Key.VISITS] for c in v.case_nos} == {"P1", "P2"}
    app = _then(app, "selection.py")
    assert not app.exception
    assert any("已从关联分析或案件地图加入 2 件" in i.value for i in app.info)
    assert sorted(_built(app)) == ["E1", "E3", "P1", "P2"]  # the form read back too (not the default top N)


def test_a_letter_taken_out_last_time_and_sent_again_is_chosen(db) -> None:
    _last_selection(["P1", "P2"], by_dropping=True)  # P3 and the fees taken out by hand
    app = _page("selection.py")
    app.session_state[Key.SELECTED_CASES] = ["P3"]
    app.run()
    assert not app.exception
    assert "P3" not in app.multiselect(key="sel_drop").value
    assert "P3" in _built(app)


def test_letters_sent_in_an_earlier_session_stay_chosen_when_building_again_after_a_reload(db) -> None:
    app = _page("selection.py")
    app.session_state[Key.SELECTED_CASES] = ["E1", "E2"]  # sent, then 选件 opened with nothing kept yet
    app.run()
    app.number_input(key="sel_top").set_value(0).run()
    assert sorted(_built(app)) == ["E1", "E2"]
    app.multiselect(key="sel_extra").set_value(["P3"]).run()  # building again in the same session
    again = _built(app)
    assert sorted(again) == ["E1", "E2", "P3"]

    reloaded = _page("selection.py")  # a new session, nothing sent: the letters sent before are still chosen
    reloaded.run()
    assert not reloaded.exception
    assert sorted(_built(reloaded)) == sorted(again)


def test_letters_sent_again_that_the_restored_selection_holds_are_kept_when_building(db) -> None:
    """The walk's second try: the selection kept held the 7 letters (sent in one session with 选件 open), its form
    only 前 20 件; sent again in a new session, 生成走访点 rebuilt the top N and dropped them."""
    _last_selection(["P1"])
    app = _page("selection.py")
    app.session_state[Key.SELECTED_CASES] = ["E1", "E3"]
    app.run()
    assert _built(app) and sorted(_built(app)) == ["E1", "E3", "P1"]
    with session_scope(db) as s:  # as a selection kept before the letters sent were kept with its form
        from planner.store.models import SettingRow

        row = s.get(SettingRow, f"last_selection:{LEADER.username}")
        row.value = {**row.value, "form": {k: v for k, v in row.value["form"].items() if k != "sel_sent"}}
    again = _page("selection.py")
    again.session_state[Key.SELECTED_CASES] = ["E1", "E3"]
    again.run()
    assert any("（从关联分析或案件地图转来的 2 件已在其中）" in i.value for i in again.info)
    assert sorted(_built(again)) == ["E1", "E3", "P1"]
