"""行程 (walk W13): an officer with one plan, one team and one day saw 换计划、检查组或日期 drawn with three selects of
one choice each — nothing to switch. The box is drawn only when something can be chosen; else a line says which
plan, team and day are shown. With two days the box stays."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.field import load_document
from planner.field.day import TeamDay
from planner.office import security
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow
from planner.store.plans import save_plan
from tests.app.test_itinerary import MONDAY, OFFICER_T1, PLAN, _officer_app

BOX = "换计划、检查组或日期"
NAME = "平和 12 月单日"


def _one_plan(engine, monkeypatch, days: int) -> tuple[str, list[dt.date]]:
    """The fixture plan cut to T1's first ``days`` days, saved and issued: T1's name and those days."""
    doc = load_document(PLAN)
    mine = sorted((r for r in doc.plan.routes if r.team_id == "T1" and r.stops), key=lambda r: r.date)[:days]
    assert len(mine) == days
    doc = dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=tuple(mine)))
    with session_scope(engine) as s:
        for no, c in doc.cases.items():
            s.add(CaseRow(case_no=no, received_date=dt.date.fromisoformat(c["received_date"]),
                          deadline=dt.date.fromisoformat(c["deadline"]), title=c["summary"], content=c["summary"],
                          category=c["category"], county=c["county"], town=c["town"], village=c["village"],
                          status="planned"))
        s.flush()
        set_plan_status(s, save_plan(s, doc, name=NAME, who="boss"), PlanStatus.ISSUED, who="boss")
        security.create_user(s, OFFICER_T1.username, "Xiafang-2026-pass", role="officer", team_ids=["T1"],
                             display_name=OFFICER_T1.display_name)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return doc.teams["T1"].name, [r.date for r in mine]


@pytest.mark.parametrize("days", [1, 2])
def test_w13_the_box_is_drawn_only_with_something_to_choose(engine, monkeypatch, days) -> None:
    team, dates = _one_plan(engine, monkeypatch, days)
    at = _officer_app(OFFICER_T1, min(dates[0], MONDAY))
    at.run()
    assert not at.exception
    said = [c.value for c in at.caption if c.value.startswith("显示：")]
    if days == 1:
        assert BOX not in [e.label for e in at.expander]
        assert not at.selectbox  # no select of one choice
        assert len(said) == 1 and NAME in said[0] and team in said[0]
        assert TeamDay(dates[0], "", 0).label(at.session_state["today"]) in said[0]
    else:
        assert BOX in [e.label for e in at.expander] and at.selectbox(key="it_date").options
        assert not said
