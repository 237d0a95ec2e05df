"""行程's phone form and stop cards (walk C): the counts come in 回访跟踪's order (入户走访, 收集线索, 解决问题) when a
phone stacks the columns, a stop recorded 未找到 says the households it called on, which 统计 counts, and a letter
resolved at its stop shows no 办理期限 (met)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.domain import VisitResult
from planner.field.day import StopRecord, officer_day, save_stop_outcome
from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved

RESOLVED = "ZZ2026-0101"  # 第一检查组's first stop on MONDAY; its deadline (2026-12-19) is no other letter's
ORDER = ["入户走访（户次）", "收集线索（条）", "解决问题（个）"]


def test_the_phone_form_lists_the_counts_in_the_followup_forms_order(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    draft = str(next(w.key for w in at.number_input if str(w.key).endswith("_households"))).removesuffix(
        "_households")
    # The element tree's order is the order a phone shows them in, one under another.
    labels = [w.label for w in at.number_input if str(w.key).startswith(draft + "_")]
    assert labels == ORDER, labels


def test_a_stop_recorded_not_found_says_the_households_it_called_on() -> None:
    rec = StopRecord(outcome_id=1, version=1, result=VisitResult.NOT_FOUND, households=2, leads=1,
                     findings="林业站已撤并", resolved=False)
    assert rec.text() == "未找到（林业站已撤并） · 入户 2 户次 · 线索 1 条"
    none = StopRecord(outcome_id=1, version=1, result=VisitResult.POSTPONED, households=0, leads=0,
                      findings="外出打工", resolved=False)
    assert none.text() == "改期（外出打工）"


def test_a_letter_resolved_at_the_stop_shows_no_deadline(engine, monkeypatch) -> None:
    """Walk C: a month on, the stop of a letter resolved there read 办理期限 2026-12-14（已超期 24 天） in red."""
    plan_id = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        day = officer_day(s, OFFICER_T1, MONDAY)
        save_stop_outcome(s, day, RESOLVED, result="visited", households=3, findings="当场化解", resolved=True,
                          who="li", actor=OFFICER_T1)
    at = _officer_app(OFFICER_T1, MONDAY + dt.timedelta(days=90))  # every deadline of the plan has passed
    at.query_params.update({"plan": str(plan_id), "team": "T1", "day": MONDAY.isoformat()})
    at.run()
    assert not at.exception
    deadlines = [m.value for m in at.markdown if "办理期限" in m.value]
    assert deadlines and all("已超期" in m for m in deadlines), deadlines  # the letters still open say it
    with session_scope(engine) as s:
        deadline = s.scalars(select(CaseRow.deadline).where(CaseRow.case_no == RESOLVED)).one()
    assert not any(deadline.isoformat() in m for m in deadlines), deadlines
