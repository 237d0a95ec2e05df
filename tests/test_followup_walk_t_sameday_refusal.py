"""Walk T, 回访跟踪: a 回访 dated today, on a day the same team already recorded the letter, was refused at 保存 with
「请把走访日期改为回访当天」 though the date was today. The refusal says what is so (one record per case, date and team)
and the page can say it before the save (:func:`recorded_visit_note`).

Run on SQLite and PostgreSQL (the ``session`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import VisitOutcome, VisitType
from planner.errors import InputError
from planner.followup.outcomes import record_outcome, recorded_visit_note, stored_outcomes
from planner.store.models import CaseRow, UserRow

DAY = dt.date(2026, 12, 7)
NO = "ZT2026-1109"


def _case(session) -> None:
    session.add(CaseRow(case_no=NO, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                        content="角美镇石美村征地补偿款分配不公开", category="三资管理", county="龙海区",
                        county_code="350604", town="角美镇", village="石美村", lon=117.9, lat=24.5, status="planned"))
    session.add(UserRow(username="wu1", role="officer", password_hash="x", display_name="吴干部", team_ids=["T1"]))
    session.flush()


def _visit(day: dt.date = DAY, **kw) -> VisitOutcome:
    return VisitOutcome(case_no=NO, visit_date=day, result="visited", team_id="T1", **kw)


def test_a_return_visit_on_the_day_already_recorded_is_refused_without_asking_to_change_the_date(session) -> None:
    _case(session)
    record_outcome(session, _visit(problem_resolved=True, findings="补偿款已公示"), who="wu1", today=DAY)
    with pytest.raises(InputError) as refused:
        record_outcome(session, _visit(problem_resolved=True, findings="回访：补发款项已到账"), who="zhou",
                       visit_type=VisitType.RETURN, today=DAY)
    said = str(refused.value)
    assert "吴干部（wu1）" in said and "同一组同一天只能有一条记录" in said
    assert "改为回访当天" not in said  # the date already is the 回访's day
    (kept,) = stored_outcomes(session, NO)
    assert kept.outcome.findings == "补偿款已公示"


def test_an_earlier_day_still_says_to_date_the_return_visit_on_its_day(session) -> None:
    _case(session)
    record_outcome(session, _visit(findings="补偿款已公示"), who="wu1", today=DAY)
    with pytest.raises(InputError, match="改为回访当天"):
        record_outcome(session, _visit(findings="回访"), who="zhou", visit_type=VisitType.RETURN,
                       today=DAY + dt.timedelta(days=3))


def test_the_page_can_say_so_before_the_save(session) -> None:
    _case(session)
    assert recorded_visit_note(session, NO, DAY, "T1", today=DAY) == ""
    record_outcome(session, _visit(), who="wu1", today=DAY)
    note = recorded_visit_note(session, NO, DAY, "T1", today=DAY, team_names={"T1": "第一检查组"})
    assert note.startswith("第一检查组今天已登记过这件的走访（吴干部（wu1））：同一组同一天只能有一条记录")
    assert "2026-12-07" in recorded_visit_note(session, NO, DAY, "T1", today=DAY + dt.timedelta(days=1))
    assert recorded_visit_note(session, NO, DAY, "T2", today=DAY) == ""  # another team's visit that day
    assert recorded_visit_note(session, NO, DAY + dt.timedelta(days=1), "T1", today=DAY) == ""
    assert recorded_visit_note(session, "ZT2026-0000", DAY, "T1", today=DAY) == ""
