"""Walk W20: two people correcting one letter on 案件地图 at once. The leader saved 征地拆迁; the coordinator, still
looking at 村务公开, saved 村务财务 and it went through (the page checked the version it read in the very run that
saved). The second save is refused in words, the form keeps the choice, and 审计日志 names the correction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office import audit
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.places import correct_point
from planner.store.register_fields import register_fields, set_category

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")
CASE = "ZZ2026-1020"
LIN = Actor("lin", "coordinator", display_name="林协调")


@pytest.fixture()
def apps(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, CASE, category="村务公开", deadline=TODAY + dt.timedelta(days=20))
    leader, coordinator = (AppTest.from_file(PAGE, default_timeout=30) for _ in range(2))
    coordinator.session_state["actor"] = LIN
    for at in (leader, coordinator):
        at.session_state[Key.TODAY] = TODAY
        at.run()
        at.selectbox(key="cm_pick").select(CASE).run()
        assert not at.exception
    return leader, coordinator


def _save_category(at: AppTest, category: str, note: str = "") -> None:
    at.selectbox(key=f"cm_edit_{CASE}_cat_pick").select(category)
    at.text_input(key=f"cm_edit_{CASE}_cat_note").input(note)
    at.button[[b.label for b in at.button].index("保存类别")].click().run()
    assert not at.exception


def _category(engine) -> str:
    with session_scope(engine) as s:
        return register_fields(s, CASE).category


def test_the_second_category_save_is_refused_and_keeps_the_choice(engine, apps) -> None:
    leader, coordinator = apps
    _save_category(leader, "征地拆迁", "组长核实")
    _save_category(leader, "征地拆迁", "组长核实：属土地征收")  # moved on by the leader's own save only: saved
    assert not leader.error and not any("他人修改" in w.value for w in leader.warning)
    assert any("已将类别改为 征地拆迁" in s.value for s in leader.success)
    with session_scope(engine) as s:
        assert register_fields(s, CASE).category_reason == "组长核实：属土地征收"
    _save_category(coordinator, "村务财务", "协调员：属集体资产")  # shown before the leader's save
    assert _category(engine) == "征地拆迁"  # not overwritten
    said = " ".join(e.value for e in coordinator.error)
    assert "已由他人修改" in said and "问题类别现为“征地拆迁”" in said and "请刷新后再改" in said
    assert coordinator.selectbox(key=f"cm_edit_{CASE}_cat_pick").value == "村务财务"  # the choice stays in the form
    assert any("本件已被他人修改" in w.value for w in coordinator.warning)
    coordinator.button(key=f"cm_reload_cat_cm_edit_{CASE}_").click().run()  # 载入最新记录
    assert coordinator.selectbox(key=f"cm_edit_{CASE}_cat_pick").value == "征地拆迁"
    assert not any("本件已被他人修改" in w.value for w in coordinator.warning)
    _save_category(coordinator, "村务财务", "看过组长的更正")  # now seen: saved
    assert _category(engine) == "村务财务"


def test_the_point_form_checks_the_version_it_was_shown_at(engine, apps) -> None:
    leader, _ = apps
    with session_scope(engine) as s:  # someone else corrects the point after both forms were shown
        correct_point(s, LIN, lon=117.4123, lat=24.3712, case_no=CASE)
    leader.run()
    assert any("本件已被他人修改" in w.value for w in leader.warning)
    boxes = {n.label: n for n in leader.number_input if n.key.startswith(f"cm_edit_{CASE}_fix_")}
    boxes["经度"].set_value(117.5)
    boxes["纬度"].set_value(24.4)
    leader.button[[b.label for b in leader.button].index("保存校准位置")].click().run()
    assert not leader.exception
    said = " ".join(e.value for e in leader.error)
    assert "已由他人修改" in said and "117.412300" in said and "请刷新后再改" in said
    with session_scope(engine) as s:
        row = s.query(CaseRow).filter(CaseRow.case_no == CASE).one()
        assert (round(row.lon, 4), round(row.lat, 4)) == (117.4123, 24.3712)


def test_a_category_correction_is_in_the_audit_log_in_words(engine) -> None:
    add_case(engine, CASE, category="村务公开", deadline=TODAY + dt.timedelta(days=20))
    with session_scope(engine) as s:
        set_category(s, CASE, "征地拆迁", who="zheng", note="组长核实")
    with session_scope(engine) as s:
        entries = audit.recent(s, action="category_correct")
    assert len(entries) == 1 and entries[0]["case_nos"] == [CASE]
    text = audit.describe(entries[0], names={"zheng": "郑组长"})
    assert "郑组长（zheng）更正问题类别：村务公开 → 征地拆迁，涉及信访件 ZZ2026-1020，理由：组长核实" in text
