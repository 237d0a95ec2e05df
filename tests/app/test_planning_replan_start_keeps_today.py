"""AppTest of 路线规划: 开始规划 on a saved plan opened while it runs today keeps each team's unvisited stops of
today on that team today, as 重新规划其余走访点 does (the officers have set out for them): it may re-order and re-time
them from now and change later days, and what it moves off a team's today it names. A team with no recorded stop
today is timed from its base at now, and the page says that assumption."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.routing.report import plan_document
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import save_plan
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
TUESDAY = TODAY + dt.timedelta(days=1)
#: 漳州市区 and 云霄: about 70 km apart.
CITY, YUNXIAO = (117.652, 24.512), (117.34, 23.96)
T1 = Team("T1", "第一检查组", *CITY, base_name="市区")
T2 = Team("T2", "第二检查组", *YUNXIAO, base_name="云霄")
NEAR_CITY = tuple(Visit(f"C{k}", CITY[0] + 0.02 * k, CITY[1] - 0.015 * k, 45, case_nos=(f"ZC{k}",),
                        label=f"浦南镇{k}村") for k in range(1, 4))
NEAR_YUNXIAO = tuple(Visit(f"Y{k}", YUNXIAO[0] + 0.02 * k, YUNXIAO[1] + 0.01 * k, 45, case_nos=(f"ZY{k}",),
                           label=f"东山{k}村") for k in range(1, 4))


def _today(doc, team: str) -> set[str]:
    r = doc.plan.route_for(team, TODAY)
    return set(r.visit_ids) if r is not None else set()


@pytest.fixture()
def running(engine, monkeypatch):
    """A plan issued this morning: team 1 goes to the places near 云霄 today, team 2 to those near the city (the
    office pinned them so; a fresh plan of the same stops would swap them). Team 1 has visited its first stop."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        for t in (T1, T2):
            save_team(s, t)
    for v in (*NEAR_CITY, *NEAR_YUNXIAO):
        add_case(engine, v.case_nos[0])
    pinned = [dataclasses.replace(v, team_id="T1", date=TODAY) for v in NEAR_YUNXIAO] + \
        [dataclasses.replace(v, team_id="T2", date=TODAY) for v in NEAR_CITY]
    doc = plan_document(pinned, [T1, T2], start_date=TODAY, days=2, time_limit_s=1.0)
    assert not doc.plan.unassigned and _today(doc, "T1") == {v.visit_id for v in NEAR_YUNXIAO}
    doc = dataclasses.replace(doc, visits={v.visit_id: v for v in (*NEAR_CITY, *NEAR_YUNXIAO)})  # pins gone
    first = doc.plan.route_for("T1", TODAY).visit_ids[0]
    with session_scope(engine) as s:
        pid = save_plan(s, doc, name="一二组", who="coord")
        set_plan_status(s, pid, PlanStatus.ISSUED, who="coord")
        case = s.query(CaseRow).filter_by(case_no=doc.visits[first].case_nos[0]).one()
        s.add(VisitOutcomeRow(case_id=case.id, plan_id=pid, team_id="T1", visit_date=TODAY, result="visited",
                              recorded_by="offT1"))
    return pid, doc, first


def _opened(pid: int, at: dt.time) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=90)
    app.session_state[Key.TODAY] = TODAY
    app.session_state["planning_now"] = dt.datetime.combine(TODAY, at)
    app.run()
    app.button(key=f"pl_open_{pid}").click().run()
    app.number_input(key="pl_limit").set_value(1)
    return app


def test_start_planning_an_opened_plan_at_0930_keeps_todays_stops_on_their_teams(running) -> None:
    pid, doc, _first = running
    app = _opened(pid, dt.time(9, 30))
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    new = app.session_state[Key.PLAN_DOC]
    assert _today(new, "T1") == _today(doc, "T1"), (_today(doc, "T1"), _today(new, "T1"))
    assert _today(new, "T2") == _today(doc, "T2"), (_today(doc, "T2"), _today(new, "T2"))
    assert new.plan.route_for("T1", TODAY).stops[0] == doc.plan.route_for("T1", TODAY).stops[0]  # as visited
    said = " ".join(w.value for w in app.warning)
    # Team 2 has recorded nothing today: timed from its base at now, and the page says so (team 1 has a record).
    assert "第二检查组今天尚无走访记录，按 09:30 从驻地出发计算；如已在外走访，请先登记再重新规划" in said, said
    assert "第一检查组今天尚无走访记录" not in said


def test_start_planning_from_tomorrow_names_each_stop_it_takes_off_today(running) -> None:
    """A start date after today leaves today out: the stops not yet visited today go to later days, each named."""
    pid, doc, first = running
    app = _opened(pid, dt.time(9, 30))
    app.date_input(key="pl_start").set_value(TUESDAY)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    said = " ".join(w.value for w in app.warning)
    for vid in (_today(doc, "T1") | _today(doc, "T2")) - {first}:
        assert f"{vid} {doc.visits[vid].label}（" in said and "本次规划从 12-08 开始，不含今天" in said, said
