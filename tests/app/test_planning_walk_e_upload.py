"""路线规划: what walk E found wrong when a faulty visits.csv was uploaded.

The walk uploaded a GBK visits.csv with a letter for a longitude, a negative 核查分钟 and priority 9: the three faults
came run together on one line (``…收到 'abc' visits_bad_gbk.csv 第 4 行: 走访点 V3：…``), two forms mixed. Each fault
is now one item of a list, each as ``第 N 行 列：问题``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import streamlit as st
from _ui_data import TODAY, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.office.security import Actor
from planner.routing.advice import PlanRequest
from planner.selection.memory import save_selection
from planner.store.database import session_scope
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村"),)
HEADER = "编号,经度,纬度,核查分钟,优先级,所需专长,指定组,地点,信访件\n"
BAD = (HEADER
       + "V1,117.30,24.35,60,必访,,,平和县小溪镇,\n"
       + "V2,abc,24.35,60,3,,,平和县小溪镇,\n"
       + "V3,117.30,24.35,-5,3,,,平和县小溪镇,\n"
       + "V4,117.30,24.35,60,9,,,平和县小溪镇,\n").encode("gbk")


class _Upload:
    name = "visits_bad_gbk.csv"

    def __init__(self, data: bytes, file_id: str = "upload-1") -> None:
        self.data, self.file_id = data, file_id

    def getvalue(self) -> bytes:
        return self.data


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("T1", "第一检查组", 117.313, 24.363, base_name="平和县纪委监委"))
        save_team(s, Team("T3", "第三检查组", 117.313, 24.363, base_name="平和县纪委监委"))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.VISITS] = VISITS
    at.session_state["actor"] = Actor("coord", "coordinator")
    return at


def upload(app: AppTest, monkeypatch, data: bytes, file_id: str = "upload-1") -> AppTest:
    real = st.file_uploader
    monkeypatch.setattr(st, "file_uploader", lambda label, *a, **k: _Upload(data, file_id) if "visits.csv" in label
                        else real(label, *a, **k))
    app.run()
    assert not app.exception
    return app


def test_several_faults_are_listed_one_per_line_in_one_form(app: AppTest, monkeypatch) -> None:
    app.run()
    upload(app, monkeypatch, BAD)
    (error,) = app.error
    lines = error.value.splitlines()
    assert "bad" in lines[0] and lines[0].endswith("有以下错误，请改正后重新上传：")
    items = [line for line in lines if line.startswith("- ")]
    assert len(items) == 3, error.value
    for item in items:
        assert re.match(r"- 第 \d+ 行 \S+：", item), item
        assert "visits" not in item and ": " not in item  # no file name repeated, no half-width colon
    assert "第 3 行 经度：应为数字" in items[0]
    assert "第 4 行 核查分钟：" in items[1] and "-5" in items[1]
    assert "第 5 行 优先级：" in items[2] and "9" in items[2]
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["V1"]  # the chosen visits are kept


def test_a_repeated_id_is_refused_at_upload_naming_both_rows(app: AppTest, monkeypatch) -> None:
    """V1 twice was read (已读入 9 个走访点) and refused only at 开始规划, naming neither file nor row."""
    app.run()
    twice = (HEADER + "V1,117.30,24.35,60,必访,,,平和县小溪镇,\nV2,117.31,24.35,60,3,,,平和县小溪镇,\n"
             + "V1,117.30,24.35,60,3,,,重复编号,\n").encode("gbk")
    upload(app, monkeypatch, twice)
    text = " ".join(e.value for e in app.error)
    assert "第 4 行 编号：'V1' 与第 2 行重复" in text, text
    assert "已读入" not in " ".join(i.value for i in app.info)
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["V1"]


def _progress_texts(app: AppTest) -> list[str]:
    return [p.proto.text for p in app.get("progress")]


def test_a_refusal_at_plan_time_replaces_the_planning_bar(app: AppTest) -> None:
    """Whatever 开始规划 refuses is shown, and "规划中……" does not stay above it as if planning went on."""
    app.session_state[Key.VISITS] = (Visit("V1", 117.43, 24.37, 60), Visit("V1", 117.30, 24.35, 60))
    app.run()
    app.number_input(key="pl_limit").set_value(1)
    app.button[0].click().run()  # 开始规划
    assert not app.exception
    assert "V1" in " ".join(e.value for e in app.error)
    assert not [t for t in _progress_texts(app) if "规划中" in t], _progress_texts(app)


def test_a_point_in_shanghai_is_refused_at_upload(app: AppTest, monkeypatch) -> None:
    app.run()
    far = (HEADER + "V1,117.30,24.35,60,必访,,,平和县小溪镇,\nV5,121.50,31.20,60,3,,,上海,\n").encode("gbk")
    upload(app, monkeypatch, far)
    text = " ".join(e.value for e in app.error)
    assert "第 3 行 经度、纬度：121.50, 31.20 不在漳州市范围内" in text, text
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["V1"]


GOOD = (HEADER + "V1,117.30,24.35,60,必访,,,平和县小溪镇,\nV2,117.31,24.35,60,3,,,平和县小溪镇,\n").encode("gbk")


def test_an_upload_in_a_session_without_a_trip_starts_from_the_stored_selection(app: AppTest, monkeypatch,
                                                                              engine) -> None:
    """Walk E (office clock 2026-12-07): 选件 had chosen 12-07; after the upload 开始日期 showed next Monday 12-14."""
    with session_scope(engine) as s:
        save_selection(s, "coord", VISITS, PlanRequest(dt.date(2026, 12, 7), 2, ("T3",)))
    app.session_state[Key.VISITS] = []
    app.session_state["last_selection_restored"] = True  # restored earlier in this browser session, since cleared
    app.run()
    assert not app.date_input
    upload(app, monkeypatch, GOOD)
    assert app.date_input(key="pl_start").value == dt.date(2026, 12, 7)
    assert app.number_input(key="pl_days").value == 2 and app.multiselect(key="pl_teams").value == ["T3"]


def test_a_stored_trip_in_the_past_is_not_a_start(app: AppTest, monkeypatch, engine) -> None:
    with session_scope(engine) as s:
        save_selection(s, "coord", VISITS, PlanRequest(dt.date(2026, 11, 30), 2, ("T3",)))
    app.session_state[Key.VISITS] = []
    app.session_state["last_selection_restored"] = True
    app.run()
    upload(app, monkeypatch, GOOD)
    assert app.date_input(key="pl_start").value == dt.date(2026, 12, 14)  # next Monday, as before


def test_a_team_that_does_not_exist_is_refused_at_upload_with_the_teams_there_are(app: AppTest, monkeypatch) -> None:
    """T9 was read; the plan then said "指定的T9未参加本次规划", as if there were a ninth team."""
    app.run()
    pinned = (HEADER + "V1,117.30,24.35,60,必访,,,平和县小溪镇,\nV7,117.30,24.35,60,3,,T9,平和县,\n").encode("gbk")
    upload(app, monkeypatch, pinned)
    text = " ".join(e.value for e in app.error)
    assert "第 3 行 指定组：没有检查组 'T9'" in text and "第一检查组（T1）、第三检查组（T3）" in text, text
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["V1"]
    assert "已读入" not in " ".join(i.value for i in app.info)

    named = (HEADER + "V7,117.30,24.35,60,3,,第三检查组,平和县,\n").encode("gbk")
    upload(app, monkeypatch, named, "upload-2")
    assert not app.error
    assert [(v.visit_id, v.team_id) for v in app.session_state[Key.VISITS]] == [("V7", "T3")]


def test_an_unknown_skill_is_named_at_upload(app: AppTest, monkeypatch) -> None:
    """"魔法" was read without a word; the file is read, and the note says which row needs what no team has."""
    app.run()
    magic = (HEADER + "V1,117.30,24.35,60,必访,,,平和县小溪镇,\nV6,117.30,24.35,60,3,魔法,,平和县,\n").encode("gbk")
    upload(app, monkeypatch, magic)
    assert not app.error
    assert [v.visit_id for v in app.session_state[Key.VISITS]] == ["V1", "V6"]
    warnings = [w.value for w in app.warning if "不是已知的专长" in w.value]
    assert len(warnings) == 1 and "第 3 行 所需专长：魔法" in warnings[0] and "V6 将排不进计划" in warnings[0]
    assert "已读入" in " ".join(i.value for i in app.info)
    app.run()  # said until the file's visits are planned
    assert [w.value for w in app.warning if "不是已知的专长" in w.value] == warnings
