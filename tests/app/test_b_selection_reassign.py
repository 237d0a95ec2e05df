"""AppTest: on 选件 the coordinator moves one handed-over visit to the other team going (改派走访点); the leaders'
选件 and 路线规划 follow. Once a leader has adopted their share, a move out of it is refused with the reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseRow, TeamRow, UserRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 5)
COORD = Actor("tongchou", "coordinator", display_name="陈统筹")
LEAD1 = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="林组长")
LEAD2 = Actor("zuzhang2", "leader", team_ids=("T2",), display_name="黄组长")


def _case(i: int, lon: float) -> CaseRow:
    received = dt.date(2026, 11, i)
    return CaseRow(case_no=f"HM-{i:02d}", received_date=received, deadline=received + dt.timedelta(days=60),
                   content="征地补偿款未发放", category="征地拆迁", county="平和县", county_code="350628",
                   town=f"{i}镇", town_code=f"35062810{i}", village=f"{i}村", village_code=f"35062810{i}201",
                   lon=lon, lat=24.4, precision="village")


@pytest.fixture()
def db(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([_case(i, 117.62 + i / 100) for i in range(1, 4)] + [_case(i, 117.25 + i / 100)
                                                                        for i in range(4, 7)])
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
        s.add(TeamRow(id="T2", name="第二检查组", base_lon=117.30, base_lat=24.37))
        for a in (COORD, LEAD1, LEAD2):
            s.add(UserRow(username=a.username, display_name=a.display_name, role=a.role, password_hash="x",
                          team_ids=list(a.team_ids)))
    return engine


def _page(name: str, actor: Actor) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=90)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = actor
    return at


def _build() -> AppTest:
    app = _page("selection.py", COORD)
    app.run()
    app.number_input(key="sel_top").set_value(6).run()
    app.number_input(key="sel_days").set_value(2).run()
    app.button(key="sel_build").click().run()
    assert not app.exception
    return app


def _letters(actor: Actor, page: str = "planning.py") -> set[str]:
    app = _page(page, actor)
    app.run()
    assert not app.exception
    return {c for v in app.session_state[Key.VISITS] or () for c in v.case_nos}


def _visit_of(app: AppTest, case_no: str) -> str:
    return next(v.visit_id for v in app.session_state[Key.VISITS] if case_no in v.case_nos)


def test_the_coordinator_moves_a_visit_and_the_leaders_follow(db) -> None:
    app = _build()
    assert _letters(LEAD1) == {"HM-01", "HM-02", "HM-03"}
    app.selectbox(key="sel_ho_visit").set_value(_visit_of(app, "HM-01")).run()
    to = app.selectbox(key="sel_ho_to")
    assert to.options == ["第二检查组"]  # only the other team going
    to.set_value("T2").run()
    app.button(key="sel_ho_move").click().run()
    assert not app.exception and not app.error
    assert any("从第一检查组改派给第二检查组" in s.value for s in app.success)
    # Walk: the browser kept an option's old words (现交第一检查组) after the move; the team is said beside the box.
    assert not [o for o in app.selectbox(key="sel_ho_visit").options if "现交" in o]
    assert any(c.value == "现交第二检查组" for c in app.caption)
    table = next(d.value for d in app.dataframe if "交给" in d.value.columns)
    assert (table["交给"] == "第二检查组").sum() == 4
    assert any("第一检查组（组长 林组长） 2 个走访点" in i.value for i in app.info)
    assert _letters(LEAD1) == {"HM-02", "HM-03"}
    assert _letters(LEAD2) == {"HM-01", "HM-04", "HM-05", "HM-06"}
    lead2 = _page("selection.py", LEAD2)
    lead2.run()
    assert any("改派：本组 4 个走访点，共 4 件" in m.value for m in lead2.markdown)
    with session_scope(db) as s:
        assert [r.action for r in s.scalars(select(AuditRow).where(AuditRow.action.like("handover%"))
                                            .order_by(AuditRow.id))] == ["handover", "handover_move"]


def test_a_move_out_of_an_adopted_share_is_refused_with_the_reason(db) -> None:
    app = _build()
    lead1 = _page("selection.py", LEAD1)
    lead1.run()
    lead1.button(key="sel_ho_adopt").click().run()
    assert not lead1.exception
    visit = _visit_of(app, "HM-01")
    app.selectbox(key="sel_ho_visit").set_value(visit).run()
    app.selectbox(key="sel_ho_to").set_value("T2").run()
    app.button(key="sel_ho_move").click().run()
    assert not app.exception
    refusal = next(e.value for e in app.error if "不能改派：第一检查组组长林组长已于" in e.value)
    assert "采用" in refusal and "请先与组长商定" in refusal
    assert "请刷新页面" not in refusal  # a refresh would not help (the generic hint of a conflict said so)
    assert _letters(LEAD2) == {"HM-04", "HM-05", "HM-06"}
    with session_scope(db) as s:
        assert [r.action for r in s.scalars(select(AuditRow).where(AuditRow.action.like("handover%"))
                                            .order_by(AuditRow.id))] == ["handover", "handover_adopt"]


def test_a_leader_is_offered_no_move(db) -> None:
    _build()
    lead1 = _page("selection.py", LEAD1)
    lead1.run()
    assert not lead1.exception
    assert [b for b in lead1.button if b.key == "sel_ho_move"] == []


def test_a_leader_who_opened_the_offer_before_a_move_adopts_what_stands_now(db) -> None:
    app = _build()
    lead1 = _page("selection.py", LEAD1)
    lead1.run()
    assert {c for v in lead1.session_state[Key.VISITS] for c in v.case_nos} == {"HM-01", "HM-02", "HM-03"}
    visit = _visit_of(app, "HM-01")
    app.selectbox(key="sel_ho_visit").set_value(visit).run()
    app.button(key="sel_ho_move").click().run()
    assert not app.error
    lead1.button(key="sel_ho_adopt").click().run()
    assert not lead1.exception
    assert any("交来的选件已有改动" in e.value for e in lead1.error)
    assert {c for v in lead1.session_state[Key.VISITS] for c in v.case_nos} == {"HM-02", "HM-03"}
    lead1.button(key="sel_ho_adopt").click().run()
    assert any("已采用协调员陈统筹" in s.value for s in lead1.success)
    assert _letters(LEAD1) == {"HM-02", "HM-03"} and _letters(LEAD2) == {"HM-01", "HM-04", "HM-05", "HM-06"}
